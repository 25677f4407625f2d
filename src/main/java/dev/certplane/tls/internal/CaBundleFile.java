package dev.certplane.tls.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;

import dev.certplane.pki.Pem;
import dev.certplane.shared.CertplaneProperties;

import org.springframework.stereotype.Component;

/** Writes {@code <data-dir>/ca-bundle.pem}, the certificates a client trusts to reach Certplane over HTTPS. */
@Component
class CaBundleFile {

    private final Path file;

    CaBundleFile(CertplaneProperties certplane) {
        this.file = certplane.caBundleFile();
    }

    void write(List<X509Certificate> certificates) {
        String pem = Pem.encodeCertificates(certificates);
        try {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.US_ASCII).equals(pem)) {
                return;
            }
            Files.createDirectories(file.getParent());
            // Readers never see a half-written bundle.
            Path temporary = Files.createTempFile(file.getParent(), "ca-bundle", ".tmp");
            Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
            // Public certificates: every client on the machine may read them.
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CA bundle " + file, e);
        }
    }

    Path path() {
        return file;
    }
}
