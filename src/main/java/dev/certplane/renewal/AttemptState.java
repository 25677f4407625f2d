package dev.certplane.renewal;

import java.util.Arrays;
import java.util.Locale;

/** Where a renewal attempt is. Open attempts (the first three) are at most one per managed certificate. */
public enum AttemptState {
    PENDING, IN_PROGRESS, AWAITING_CHANGE_APPROVAL, COMPLETED, FAILED, ROLLED_BACK, SUPERSEDED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean open() {
        return this == PENDING || this == IN_PROGRESS || this == AWAITING_CHANGE_APPROVAL;
    }

    public static AttemptState parse(String text) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown attempt state '" + text + "'"));
    }
}
