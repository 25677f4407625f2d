package dev.certplane.renewal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Duration;
import java.time.Instant;

import dev.certplane.renewal.RenewalMethod;
import dev.certplane.renewal.RenewalPolicy;
import dev.certplane.renewal.WindowMode;

import org.junit.jupiter.api.Test;

class RenewalWindowsTest {

    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void backoffAfterConsecutiveFailuresIsOneTwoFourEightThenSeventyTwoHours() {
        assertThat(Backoff.after(1)).isEqualTo(Duration.ofHours(1));
        assertThat(Backoff.after(2)).isEqualTo(Duration.ofHours(2));
        assertThat(Backoff.after(3)).isEqualTo(Duration.ofHours(4));
        assertThat(Backoff.after(4)).isEqualTo(Duration.ofHours(8));
        qt().forAll(integers().between(5, 100_000)).check(n -> Backoff.after(n).equals(Duration.ofHours(72)));
        assertThatThrownBy(() -> Backoff.after(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void daysBeforeExpiry() {
        Instant notAfter = ISSUED.plus(Duration.ofDays(90));
        assertThat(RenewalWindows.start(policy(WindowMode.DAYS, 30), ISSUED, notAfter, null))
                .isEqualTo(notAfter.minus(Duration.ofDays(30)));
    }

    @Test
    void aShortLivedCertificateRenewsWhenAThirdOfItsLifetimeRemains() {
        Instant notAfter = ISSUED.plus(Duration.ofDays(6));
        assertThat(RenewalWindows.start(policy(WindowMode.DAYS, 30), ISSUED, notAfter, null))
                .isEqualTo(ISSUED.plus(Duration.ofDays(4)));
        // Exactly half the lifetime counts as short-lived: renewing then would repeat at every sweep after issuance.
        Instant sixty = ISSUED.plus(Duration.ofDays(60));
        assertThat(RenewalWindows.start(policy(WindowMode.DAYS, 30), ISSUED, sixty, null))
                .isEqualTo(ISSUED.plus(Duration.ofDays(40)));
    }

    @Test
    void theWindowNeverStartsBeforeIssuanceNorAfterExpiry() {
        qt().forAll(integers().between(1, 365), integers().between(1, 3 * 365 * 24)).check((days, hours) -> {
            Instant notAfter = ISSUED.plus(Duration.ofHours(hours));
            for (WindowMode mode : WindowMode.values()) {
                Instant start = RenewalWindows.start(policy(mode, days), ISSUED, notAfter, null);
                if (start.isBefore(ISSUED) || start.isAfter(notAfter)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void ariUsesTheCasSuggestedStartWhenThereIsOne() {
        Instant notAfter = ISSUED.plus(Duration.ofDays(90));
        Instant suggested = ISSUED.plus(Duration.ofDays(61));
        assertThat(RenewalWindows.start(policy(WindowMode.ARI, 30), ISSUED, notAfter, suggested)).isEqualTo(suggested);
        assertThat(RenewalWindows.start(policy(WindowMode.ARI, 30), ISSUED, notAfter, null))
                .isEqualTo(notAfter.minus(Duration.ofDays(30)));
        assertThat(RenewalWindows.start(policy(WindowMode.DAYS, 30), ISSUED, notAfter, suggested))
                .as("only an ari policy follows the CA").isEqualTo(notAfter.minus(Duration.ofDays(30)));
        assertThat(RenewalWindows.start(policy(WindowMode.LIFETIME, 30), ISSUED, notAfter, null))
                .isEqualTo(ISSUED.plus(Duration.ofDays(60)));
    }

    @Test
    void methodsParseWithReasons() {
        assertThat(RenewalMethod.parse("acme").dispatches()).isTrue();
        assertThat(RenewalMethod.parse("manual").dispatches()).isFalse();
        assertThatThrownBy(() -> RenewalMethod.parse("ad_cs")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> RenewalMethod.parse("ACME")).hasMessageContaining("got 'ACME'");
    }

    private static RenewalPolicy policy(WindowMode mode, int days) {
        return new RenewalPolicy("p", null, RenewalMethod.INTERNAL, true, days, mode, null, null, null, null, false,
                false, 5, true, ISSUED, ISSUED);
    }
}
