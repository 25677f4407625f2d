package dev.certplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.certplane.pki.CertificateFacts;

import org.junit.jupiter.api.Test;

/** The A–F grade: each finding caps it and says why; the worst cap wins. */
class SecurityRatingTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void aModernLeafWithACompleteChainIsA() {
        SecurityRating rating = SecurityRating.rate(leaf("EC", 256, "SHA256withECDSA", 90), true, true, NOW);
        assertThat(rating.grade()).isEqualTo("A");
        assertThat(rating.reasons()).isEmpty();
    }

    @Test
    void eachFindingCapsTheGradeWithItsReason() {
        assertThat(SecurityRating.rate(leaf("RSA", 1024, "SHA256withRSA", 90), true, false, NOW))
                .isEqualTo(new SecurityRating("F", List.of("weak key: RSA 1024 bits (at least 2048 needed)")));
        assertThat(SecurityRating.rate(leaf("RSA", 2048, "SHA1withRSA", 90), true, false, NOW).grade()).isEqualTo("D");
        assertThat(SecurityRating.rate(leaf("RSA", 2048, "MD5withRSA", 90), true, false, NOW).grade()).isEqualTo("F");
        assertThat(SecurityRating.rate(leaf("EC", 256, "SHA256withECDSA", 800), true, true, NOW).reasons())
                .containsExactly("publicly trusted leaf valid 800 days (more than 398)");
        assertThat(SecurityRating.rate(leaf("EC", 256, "SHA256withECDSA", 800), true, false, NOW).grade())
                .as("a private CA may issue long-lived leaves").isEqualTo("A");
        SecurityRating incomplete = SecurityRating.rate(leaf("EC", 256, "SHA256withECDSA", 90), false, false, NOW);
        assertThat(incomplete.grade()).isEqualTo("B");
        assertThat(incomplete.reasons().get(0)).startsWith(SecurityRating.INCOMPLETE_CHAIN);
    }

    @Test
    void anExpiredCertificateIsFAndTheWorstFindingWins() {
        CertificateFacts old = leaf("RSA", 2048, "SHA1withRSA", 90);
        SecurityRating rating = SecurityRating.rate(old, false, false, NOW.plus(Duration.ofDays(365)));
        assertThat(rating.grade()).isEqualTo("F");
        assertThat(rating.reasons()).hasSize(3).anyMatch(r -> r.startsWith("expired on"));
    }

    private static CertificateFacts leaf(String algorithm, int bits, String signature, int days) {
        Instant notBefore = NOW.minus(Duration.ofDays(1));
        return new CertificateFacts("CN=www.example.com", "www.example.com", "CN=Issuer", "Issuer", "1f",
                "0".repeat(64), "0".repeat(40), notBefore, notBefore.plus(Duration.ofDays(days)),
                List.of("www.example.com"), List.of(), List.of(), List.of(), algorithm, bits,
                algorithm.equals("EC") ? "P-256" : null, signature, false, -1, List.of("digitalSignature"),
                List.of("serverAuth"), List.of(), List.of(), List.of(), 0, null, null, false);
    }
}
