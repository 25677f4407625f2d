package dev.certplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The product's thresholds: valid > 30 days, expiring_soon ≤ 30, expiring ≤ 7, expired < 0; revoked wins. */
class CertificateStatusTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @ParameterizedTest
    @CsvSource({"PT744H,VALID", "PT720H1S,VALID", "PT720H,EXPIRING_SOON", "PT169H,EXPIRING_SOON", "PT168H,EXPIRING",
            "PT1S,EXPIRING", "PT0S,EXPIRING", "PT-1S,EXPIRED", "PT-2400H,EXPIRED"})
    void daysLeftDecideTheStatus(Duration left, CertificateStatus expected) {
        assertThat(CertificateStatus.of(NOW.plus(left), null, NOW, 30, 7)).isEqualTo(expected);
    }

    @Test
    void revokedWinsAndTheWireNamesRoundTrip() {
        assertThat(CertificateStatus.of(NOW.plus(Duration.ofDays(90)), NOW, NOW, 30, 7)).isEqualTo(CertificateStatus.REVOKED);
        for (CertificateStatus status : CertificateStatus.values()) {
            assertThat(CertificateStatus.parse(status.wire().toUpperCase())).isEqualTo(status);
        }
        assertThatThrownBy(() -> CertificateStatus.parse("fine")).hasMessageContaining("unknown status 'fine'");
    }
}
