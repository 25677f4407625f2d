package dev.certplane.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Opening a key that is open updates the alert only when the draft says something else. */
class AlertDraftTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final AlertDraft DRAFT = new AlertDraft("certificate-expiry:c1", "certificate_expiry",
            AlertSeverity.WARNING, "certificate:c1", "title", "message", Map.of("status", "expiring_soon"));

    @Test
    void theSameDraftIsNoChange() {
        assertThat(DRAFT.differsFrom(open(AlertSeverity.WARNING, "message", Map.of("status", "expiring_soon"))))
                .isFalse();
    }

    @Test
    void severityMessageOrDetailsMakeAChange() {
        assertThat(DRAFT.differsFrom(open(AlertSeverity.HIGH, "message", Map.of("status", "expiring_soon")))).isTrue();
        assertThat(DRAFT.differsFrom(open(AlertSeverity.WARNING, "other", Map.of("status", "expiring_soon")))).isTrue();
        assertThat(DRAFT.differsFrom(open(AlertSeverity.WARNING, "message", Map.of("status", "expiring")))).isTrue();
    }

    @Test
    void wireNamesParseBackAndUnknownOnesAreNamed() {
        for (AlertSeverity severity : AlertSeverity.values()) {
            assertThat(AlertSeverity.parse(severity.wire())).isEqualTo(severity);
        }
        assertThat(AlertState.parse(" Open ")).isEqualTo(AlertState.OPEN);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> AlertState.parse("closed"))
                .withMessageContaining("use open or resolved");
    }

    private static Alert open(AlertSeverity severity, String message, Map<String, String> details) {
        return new Alert("a1", DRAFT.key(), DRAFT.kind(), severity, DRAFT.target(), DRAFT.title(), message, details,
                AlertState.OPEN, AT, AT, null, null);
    }
}
