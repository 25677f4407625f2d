package dev.certplane.ca.internal.http;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

import dev.certplane.ca.CaCertificate;
import dev.certplane.ca.CertificateAuthority;
import dev.certplane.pki.Pem;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The CA's certificates: for operators under {@code /api/ca}, and publicly at the URLs written into
 * certificates' Authority Information Access (RFC 5280 §4.2.2.1: DER, {@code application/pkix-cert}).
 */
@RestController
@Tag(name = "Built-in CA")
class CaController {

    private static final MediaType PKIX_CERT = MediaType.parseMediaType("application/pkix-cert");
    private static final MediaType PEM = MediaType.parseMediaType("application/x-pem-file");

    private final CertificateAuthority ca;

    CaController(CertificateAuthority ca) {
        this.ca = ca;
    }

    @GetMapping("/api/ca")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "The built-in CA's root and issuing certificates")
    List<CaCertificate> certificates() {
        return ca.certificates();
    }

    @GetMapping("/ca/root.crt")
    ResponseEntity<byte[]> root() throws CertificateEncodingException {
        return der(ca.root());
    }

    @GetMapping("/ca/issuing.crt")
    ResponseEntity<byte[]> issuing() throws CertificateEncodingException {
        return der(ca.issuing());
    }

    @GetMapping("/ca/bundle.pem")
    ResponseEntity<String> bundle() {
        return ResponseEntity.ok().contentType(PEM).body(Pem.encodeCertificates(List.of(ca.root(), ca.issuing())));
    }

    private static ResponseEntity<byte[]> der(X509Certificate certificate) throws CertificateEncodingException {
        return ResponseEntity.ok().contentType(PKIX_CERT).body(certificate.getEncoded());
    }
}
