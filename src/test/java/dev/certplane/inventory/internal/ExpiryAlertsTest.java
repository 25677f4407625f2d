package dev.certplane.inventory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import dev.certplane.alerts.AlertDraft;
import dev.certplane.alerts.AlertSeverity;
import dev.certplane.inventory.CertificateStatus;
import dev.certplane.inventory.internal.store.ExpiryStore.Row;

import org.junit.jupiter.api.Test;

class ExpiryAlertsTest {

    private static final Instant NOT_AFTER = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void severityRisesWithTheStatusAndValidOrRevokedNeedNone() {
        assertThat(ExpiryAlerts.severity(CertificateStatus.EXPIRING_SOON)).contains(AlertSeverity.WARNING);
        assertThat(ExpiryAlerts.severity(CertificateStatus.EXPIRING)).contains(AlertSeverity.HIGH);
        assertThat(ExpiryAlerts.severity(CertificateStatus.EXPIRED)).contains(AlertSeverity.CRITICAL);
        assertThat(ExpiryAlerts.severity(CertificateStatus.VALID)).isEmpty();
        assertThat(ExpiryAlerts.severity(CertificateStatus.REVOKED)).isEmpty();
    }

    @Test
    void theDraftNamesSubjectNamesAndNotAfterUnderOneKeyPerCertificate() {
        AlertDraft draft = ExpiryAlerts.draft(row(false), CertificateStatus.EXPIRING).orElseThrow();
        assertThat(draft.key()).isEqualTo("certificate-expiry:c1");
        assertThat(draft.kind()).isEqualTo("certificate_expiry");
        assertThat(draft.target()).isEqualTo("certificate:c1");
        assertThat(draft.severity()).isEqualTo(AlertSeverity.HIGH);
        assertThat(draft.title()).isEqualTo("Certificate expiring: shop.example.test");
        assertThat(draft.message()).isEqualTo("Certificate CN=shop.example.test,O=Shop (names: shop.example.test,"
                + " www.shop.example.test) expires on 2026-03-01T00:00:00Z.");
        assertThat(draft.details()).containsEntry("notAfter", "2026-03-01T00:00:00Z").containsEntry("status", "expiring");
        assertThat(ExpiryAlerts.draft(row(false), CertificateStatus.EXPIRED).orElseThrow().message())
                .contains("expired on 2026-03-01T00:00:00Z");
    }

    @Test
    void theDraftDoesNotChangeFromDayToDaySoReRunsAreNoOps() {
        AlertDraft once = ExpiryAlerts.draft(row(false), CertificateStatus.EXPIRING_SOON).orElseThrow();
        AlertDraft again = ExpiryAlerts.draft(row(false), CertificateStatus.EXPIRING_SOON).orElseThrow();
        assertThat(again).isEqualTo(once);
    }

    @Test
    void staleValidAndRevokedLeavesResolveWithAReason() {
        assertThat(ExpiryAlerts.draft(row(true), CertificateStatus.EXPIRED)).isEmpty();
        assertThat(ExpiryAlerts.draft(row(false), CertificateStatus.VALID)).isEmpty();
        assertThat(ExpiryAlerts.resolution(row(true), CertificateStatus.EXPIRED)).startsWith("stale");
        assertThat(ExpiryAlerts.resolution(row(false), CertificateStatus.REVOKED)).contains("revoked");
        assertThat(ExpiryAlerts.resolution(row(false), CertificateStatus.VALID)).contains("valid");
    }

    private static Row row(boolean stale) {
        return new Row("c1", "CN=shop.example.test,O=Shop", "shop.example.test",
                List.of("shop.example.test", "www.shop.example.test"), NOT_AFTER, null, CertificateStatus.VALID, false,
                stale);
    }
}
