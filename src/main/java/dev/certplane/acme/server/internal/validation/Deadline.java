package dev.certplane.acme.server.internal.validation;

import java.time.Duration;

import dev.certplane.acme.protocol.ProblemType;

/**
 * The end of one validation's time budget. Every lookup and connection takes the smaller of its own timeout
 * and what is left, so a slow or hostile target cannot hold a validation longer than the total deadline.
 * Measured on the monotonic clock: it bounds elapsed time, not a moment in the injected clock.
 */
public final class Deadline {

    private final Duration total;
    private final long endNanos;

    private Deadline(Duration total) {
        this.total = total;
        this.endNanos = System.nanoTime() + total.toNanos();
    }

    public static Deadline after(Duration total) {
        return new Deadline(total);
    }

    /** {@code timeout}, cut to what is left. */
    Duration cap(Duration timeout) {
        long left = endNanos - System.nanoTime();
        if (left <= 0) {
            throw expired();
        }
        return timeout.toNanos() < left ? timeout : Duration.ofNanos(left);
    }

    /**
     * {@link #cap} in whole milliseconds of at least 1, as socket timeouts take them (0 would mean for ever). Rounded
     * up: a socket timeout cut to the deadline must end at or after it, or {@link #passed} would still be false when
     * it fires and the failure would blame the read or connect timeout instead of the deadline.
     */
    int capMillis(Duration timeout) {
        long nanos = cap(timeout).toNanos();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000));
    }

    /** What is left in whole milliseconds, rounded up like {@link #capMillis}. */
    int leftMillis() {
        return capMillis(Duration.ofMillis(Integer.MAX_VALUE));
    }

    boolean passed() {
        return endNanos - System.nanoTime() <= 0;
    }

    ValidationFailure expired() {
        // A deadline such as 1500ms would read "1 s" in whole seconds, or "0 s" below one second.
        String text = total.toMillis() % 1000 == 0 ? total.toSeconds() + " s" : total.toMillis() + " ms";
        return new ValidationFailure(ProblemType.CONNECTION, "validation did not finish within " + text
                + " (certplane.acme.validation.deadline)");
    }
}
