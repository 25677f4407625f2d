package dev.certplane.probes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.ExtendedKeyUsage;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Pem;
import dev.certplane.pki.Serials;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A root and an intermediate that issue the certificates the probe tests' servers present, with the files nginx and
 * HAProxy read. EC P-256 keeps it fast.
 */
final class ProbePki {

    /** A leaf with its key; {@link #chain} is what a correctly configured server sends. */
    record Issued(PrivateKey key, X509Certificate leaf, X509Certificate intermediate, X509Certificate root) {

        List<X509Certificate> chain() {
            return List.of(leaf, intermediate);
        }

        /** The chain with the root, as a managed certificate's version records it. */
        List<X509Certificate> chainWithRoot() {
            return List.of(leaf, intermediate, root);
        }
    }

    private final KeyPair rootKeys = KeyType.EC_P256.generate();
    private final KeyPair intermediateKeys = KeyType.EC_P256.generate();
    final X509Certificate root;
    final X509Certificate intermediate;

    ProbePki(Instant now) {
        root = CertificateSigner.sign(ca("CN=Probe IT Root,O=Certplane Tests", rootKeys, now), null,
                rootKeys.getPrivate());
        intermediate = CertificateSigner.sign(ca("CN=Probe IT Intermediate,O=Certplane Tests", intermediateKeys, now),
                root, rootKeys.getPrivate());
    }

    /** A server certificate for these DNS names, valid from {@code notBefore} to {@code notAfter}. */
    Issued leaf(List<String> names, Instant notBefore, Instant notAfter) {
        KeyPair keys = KeyType.EC_P256.generate();
        CertificateSpec spec = new CertificateSpec("", keys.getPublic(), Serials.random(), notBefore, notAfter, false,
                null, Set.of(KeyUsageBit.DIGITAL_SIGNATURE), List.of(ExtendedKeyUsage.SERVER_AUTH), names, List.of(),
                null, null, null);
        return new Issued(keys.getPrivate(), CertificateSigner.sign(spec, intermediate, intermediateKeys.getPrivate()),
                intermediate, root);
    }

    /** Writes the certificates as PEM, in order. */
    static Path writeChain(Path file, List<X509Certificate> certificates) {
        return write(file, Pem.encodeCertificates(certificates));
    }

    static Path writeKey(Path file, PrivateKey key) {
        return write(file, Pem.encodePrivateKey(key));
    }

    /** A DER OCSP response that says the leaf is good, signed by its issuer, as a server staples it. */
    Path writeGoodOcspResponse(Path file, X509Certificate leaf, Instant now) {
        try {
            X509CertificateHolder issuer = new X509CertificateHolder(intermediate.getEncoded());
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), issuer, leaf.getSerialNumber());
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(issuer.getSubject()));
            builder.addResponse(id, CertificateStatus.GOOD, Date.from(now), Date.from(now.plusSeconds(86400 * 7)));
            byte[] der = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(intermediateKeys.getPrivate()),
                    new X509CertificateHolder[] {issuer}, Date.from(now))).getEncoded();
            Files.createDirectories(file.getParent());
            Files.write(file, der);
            return file;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make an OCSP response", e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CertificateSpec ca(String subject, KeyPair keys, Instant now) {
        return new CertificateSpec(subject, keys.getPublic(), Serials.random(), now.minusSeconds(86400L * 30),
                now.plusSeconds(86400L * 3650), true, null, Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN),
                List.of(), List.of(), List.of(), null, null, null);
    }
}
