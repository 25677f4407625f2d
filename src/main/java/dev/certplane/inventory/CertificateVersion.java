package dev.certplane.inventory;

import java.time.Instant;
import java.util.List;

/**
 * One issuance of a managed certificate.
 *
 * @param source how it was obtained, such as {@code acme-server} (an edge client through our ACME server)
 * @param reference what produced it in that source (an ACME order id)
 */
public record CertificateVersion(String managedCertificateId, int version, String certificateId, String serial,
        String fingerprintSha256, String issuer, List<String> names, Instant notBefore, Instant notAfter,
        String source, String reference, Instant createdAt) {

    public CertificateVersion {
        names = List.copyOf(names);
    }
}
