package dev.certplane.renewal.internal;

import java.time.Duration;
import java.util.List;

/** How long the sweep waits before retrying after the Nth consecutive failure: 1 h, 2 h, 4 h, 8 h, then 72 h. */
public final class Backoff {

    private static final List<Duration> DELAYS = List.of(Duration.ofHours(1), Duration.ofHours(2),
            Duration.ofHours(4), Duration.ofHours(8));
    private static final Duration CAP = Duration.ofHours(72);

    private Backoff() {
    }

    /** @param consecutiveFailures 1 for the first failure in a row */
    public static Duration after(int consecutiveFailures) {
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures must be at least 1");
        }
        return consecutiveFailures <= DELAYS.size() ? DELAYS.get(consecutiveFailures - 1) : CAP;
    }
}
