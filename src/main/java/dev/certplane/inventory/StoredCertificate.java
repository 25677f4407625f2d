package dev.certplane.inventory;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A certificate as the inventory holds it: parsed metadata, where it came from, its status and rating.
 *
 * @param subjectCommonName the subject's CN, or the first subjectAltName when the subject has none
 * @param names the subjectAltName DNS names and IP addresses
 * @param issuerCertificateId the issuer's row when the issuer is in the inventory (the chain link)
 * @param source how it first arrived: {@code issued}, {@code acme}, {@code imported} or {@code discovered}
 * @param stale no source lists it any more (a scan stopped seeing it)
 */
public record StoredCertificate(String id, String fingerprintSha256, String fingerprintSha1, String serial,
        String subject, String subjectCommonName, String issuer, String issuerCommonName, List<String> names,
        List<String> emails, List<String> uris, Instant notBefore, Instant notAfter, String keyAlgorithm, int keyBits,
        @Nullable String keyCurve, String signatureAlgorithm, boolean ca, int pathLength, List<String> keyUsage,
        List<String> extendedKeyUsage, List<String> caIssuerUrls, List<String> ocspUrls, List<String> crlUrls,
        int sctCount, @Nullable String subjectKeyId, @Nullable String authorityKeyId, boolean selfIssued,
        @Nullable String issuerCertificateId, boolean hasPrivateKey, String source, @Nullable String owner,
        @Nullable String organization, List<String> tags, CertificateStatus status, @Nullable Instant revokedAt,
        String rating, List<String> ratingReasons, boolean stale, String pem, Instant createdAt, Instant updatedAt) {

    public StoredCertificate {
        names = List.copyOf(names);
        emails = List.copyOf(emails);
        uris = List.copyOf(uris);
        keyUsage = List.copyOf(keyUsage);
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
        caIssuerUrls = List.copyOf(caIssuerUrls);
        ocspUrls = List.copyOf(ocspUrls);
        crlUrls = List.copyOf(crlUrls);
        tags = List.copyOf(tags);
        ratingReasons = List.copyOf(ratingReasons);
    }

    public boolean leaf() {
        return !ca;
    }

    @Override
    public String toString() {
        return "StoredCertificate[id=" + id + ", subject=" + subject + ", sha256=" + fingerprintSha256 + "]";
    }
}
