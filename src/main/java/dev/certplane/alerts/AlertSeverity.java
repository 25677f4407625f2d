package dev.certplane.alerts;

import java.util.Locale;

/** How urgently an alert needs an operator, lowest first. */
public enum AlertSeverity {
    INFO, WARNING, HIGH, CRITICAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static AlertSeverity parse(String text) {
        for (AlertSeverity severity : values()) {
            if (severity.wire().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return severity;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + text + "'; use info, warning, high or critical");
    }
}
