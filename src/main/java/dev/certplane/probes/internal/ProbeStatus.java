package dev.certplane.probes.internal;

import java.util.Locale;

import dev.certplane.alerts.AlertSeverity;

/**
 * What a probe found, worst reason first: a probe with several problems is classified by the first of these that
 * applies (an unreachable endpoint shows nothing else; serving the wrong certificate matters more than how it is
 * served), and every problem is listed in the result's findings.
 */
public enum ProbeStatus {
    /** No usable answer: refused, timed out, no TLS, STARTTLS refused, or a certificate that cannot be read. */
    UNREACHABLE(AlertSeverity.HIGH),
    /** The served certificate is not a version of the expected managed certificate. */
    MISMATCH(AlertSeverity.CRITICAL),
    /** An older version of the expected managed certificate: the server has not loaded the current one. */
    STALE(AlertSeverity.HIGH),
    /** The served certificate is outside its validity period (expired, or not yet valid). */
    EXPIRED(AlertSeverity.CRITICAL),
    /** The served certificate does not cover the name clients ask for (the SNI name, or the host). */
    HOSTNAME_MISMATCH(AlertSeverity.HIGH),
    /** The server does not send the intermediates between its certificate and a trust anchor. */
    INCOMPLETE_CHAIN(AlertSeverity.WARNING),
    /** The current version, valid, for the name, with its chain. */
    OK(AlertSeverity.INFO);

    private final AlertSeverity severity;

    ProbeStatus(AlertSeverity severity) {
        this.severity = severity;
    }

    /** How urgent the drift alert is that a probe with this status opens. */
    public AlertSeverity severity() {
        return severity;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static ProbeStatus parse(String text) {
        for (ProbeStatus status : values()) {
            if (status.wire().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown status '" + text + "'; use ok, stale, mismatch, incomplete_chain,"
                + " hostname_mismatch, expired or unreachable");
    }
}
