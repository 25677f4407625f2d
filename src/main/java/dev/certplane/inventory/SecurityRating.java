package dev.certplane.inventory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.certplane.pki.CertificateFacts;

/**
 * A grade from A to F with the reasons that lowered it. Each finding caps the grade; the worst cap wins:
 * F for an expired certificate, an RSA key under 2048 bits, an EC key under 224 bits or an MD5 signature;
 * D for a SHA-1 signature or an RSA key under 3072 bits on a CA valid past 2030; C for a publicly trusted
 * leaf valid longer than 398 days (CA/Browser Forum baseline requirements 6.3.2) or a leaf without
 * subjectAltName (RFC 6125: names in the CN alone are not checked by browsers); B for an incomplete chain
 * (an issuer neither in the inventory nor a known root), a self-signed leaf, or a leaf without a
 * serverAuth/anyExtendedKeyUsage when it has an EKU.
 */
public record SecurityRating(String grade, List<String> reasons) {

    /** How the reason for a missing issuer starts, so callers can tell a broken chain from other findings. */
    public static final String INCOMPLETE_CHAIN = "incomplete chain";
    static final Duration PUBLIC_LEAF_MAX = Duration.ofDays(398);

    public SecurityRating {
        reasons = List.copyOf(reasons);
    }

    /**
     * @param chainComplete whether the issuer is in the inventory or is a known root (self-issued CAs are complete)
     * @param publiclyTrusted whether the chain ends in a root of the JDK's default trust store
     */
    public static SecurityRating rate(CertificateFacts facts, boolean chainComplete, boolean publiclyTrusted,
            Instant now) {
        List<Finding> findings = new ArrayList<>();
        if (facts.notAfter().isBefore(now)) {
            findings.add(new Finding('F', "expired on " + facts.notAfter()));
        }
        String algorithm = facts.keyAlgorithm().toUpperCase(Locale.ROOT);
        if (algorithm.equals("RSA") && facts.keyBits() < 2048) {
            findings.add(new Finding('F', "weak key: RSA " + facts.keyBits() + " bits (at least 2048 needed)"));
        } else if (algorithm.equals("EC") && facts.keyBits() < 224) {
            findings.add(new Finding('F', "weak key: EC " + facts.keyBits() + " bits (at least 224 needed)"));
        } else if (algorithm.equals("RSA") && facts.ca() && facts.keyBits() < 3072
                && facts.notAfter().isAfter(Instant.parse("2031-01-01T00:00:00Z"))) {
            findings.add(new Finding('D', "CA key RSA " + facts.keyBits() + " bits valid after 2030 (NIST SP 800-57"
                    + " wants 3072)"));
        }
        String signature = facts.signatureAlgorithm().toUpperCase(Locale.ROOT);
        if (signature.contains("MD5") || signature.contains("MD2")) {
            findings.add(new Finding('F', "broken signature algorithm " + facts.signatureAlgorithm()));
        } else if (signature.contains("SHA1") && !facts.selfIssued()) {
            findings.add(new Finding('D', "SHA-1 signature (" + facts.signatureAlgorithm() + ")"));
        }
        if (facts.leaf()) {
            Duration validity = Duration.between(facts.notBefore(), facts.notAfter());
            if (publiclyTrusted && validity.compareTo(PUBLIC_LEAF_MAX) > 0) {
                findings.add(new Finding('C', "publicly trusted leaf valid " + validity.toDays()
                        + " days (more than 398)"));
            }
            if (facts.dnsNames().isEmpty() && facts.ipAddresses().isEmpty() && facts.emails().isEmpty()
                    && facts.uris().isEmpty()) {
                findings.add(new Finding('C', "no subjectAltName: clients ignore names in the common name"));
            }
            if (facts.selfIssued()) {
                findings.add(new Finding('B', "self-signed leaf"));
            }
            if (!facts.extendedKeyUsage().isEmpty() && !facts.extendedKeyUsage().contains("serverAuth")
                    && !facts.extendedKeyUsage().contains("anyExtendedKeyUsage")
                    && !facts.extendedKeyUsage().contains("clientAuth")
                    && !facts.extendedKeyUsage().contains("emailProtection")
                    && !facts.extendedKeyUsage().contains("codeSigning")) {
                findings.add(new Finding('B', "extended key usage " + facts.extendedKeyUsage() + " fits no TLS use"));
            }
        }
        if (!chainComplete) {
            findings.add(new Finding('B', INCOMPLETE_CHAIN + ": the issuer '" + facts.issuerCommonName()
                    + "' is not in the inventory"));
        }
        char grade = 'A';
        List<String> reasons = new ArrayList<>();
        for (Finding finding : findings) {
            grade = (char) Math.max(grade, finding.cap());
            reasons.add(finding.reason());
        }
        return new SecurityRating(String.valueOf(grade), reasons);
    }

    private record Finding(char cap, String reason) {
    }
}
