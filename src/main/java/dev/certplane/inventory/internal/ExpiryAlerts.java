package dev.certplane.inventory.internal;

import java.util.Map;
import java.util.Optional;

import dev.certplane.alerts.AlertDraft;
import dev.certplane.alerts.AlertSeverity;
import dev.certplane.inventory.CertificateStatus;
import dev.certplane.inventory.internal.store.ExpiryStore.Row;

/**
 * The expiry alert of a leaf certificate: warning when it is expiring soon, high when expiring, critical once
 * expired. Title and message name the status but not the days left, so an alert changes (and is audited) only
 * when the certificate's status does, not every day.
 */
final class ExpiryAlerts {

    static final String KIND = "certificate_expiry";

    private ExpiryAlerts() {
    }

    static String key(String certificateId) {
        return "certificate-expiry:" + certificateId;
    }

    /** The severity of a leaf's alert in this status; empty if the status needs none. */
    static Optional<AlertSeverity> severity(CertificateStatus status) {
        return switch (status) {
            case EXPIRING_SOON -> Optional.of(AlertSeverity.WARNING);
            case EXPIRING -> Optional.of(AlertSeverity.HIGH);
            case EXPIRED -> Optional.of(AlertSeverity.CRITICAL);
            case VALID, REVOKED -> Optional.empty();
        };
    }

    /**
     * The alert a leaf in this status should have open; empty if any open one should be resolved (CA certificates
     * never alert, and the caller skips them).
     */
    static Optional<AlertDraft> draft(Row certificate, CertificateStatus status) {
        if (certificate.stale()) {
            return Optional.empty();
        }
        return severity(status).map(severity -> {
            String name = certificate.subjectCommonName().isEmpty() && !certificate.names().isEmpty()
                    ? certificate.names().get(0) : certificate.subjectCommonName();
            String what = switch (status) {
                case EXPIRING_SOON -> "expiring soon";
                case EXPIRING -> "expiring";
                default -> "expired";
            };
            String subject = certificate.subject().isEmpty() ? "(empty subject)" : certificate.subject();
            String message = "Certificate " + subject + " (names: "
                    + (certificate.names().isEmpty() ? "none" : String.join(", ", certificate.names())) + ") "
                    + (status == CertificateStatus.EXPIRED ? "expired on " : "expires on ") + certificate.notAfter()
                    + ".";
            return new AlertDraft(key(certificate.id()), KIND, severity, "certificate:" + certificate.id(),
                    "Certificate " + what + ": " + name, message, Map.of("certificateId", certificate.id(),
                            "status", status.wire(), "notAfter", certificate.notAfter().toString()));
        });
    }

    /** Why an open alert of a leaf in this status (or stale) is resolved. */
    static String resolution(Row certificate, CertificateStatus status) {
        if (certificate.stale()) {
            return "stale: no source lists the certificate any more";
        }
        return status == CertificateStatus.REVOKED ? "the certificate is revoked"
                : "the certificate is valid (more than the expiring-soon threshold before " + certificate.notAfter() + ")";
    }
}
