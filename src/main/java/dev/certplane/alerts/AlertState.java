package dev.certplane.alerts;

import java.util.Locale;

/** An alert is open while its condition holds and resolved once it ended; a resolved alert is never reopened. */
public enum AlertState {
    OPEN, RESOLVED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static AlertState parse(String text) {
        for (AlertState state : values()) {
            if (state.wire().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown state '" + text + "'; use open or resolved");
    }
}
