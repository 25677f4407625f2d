package dev.certplane.renewal.internal;

import java.time.Duration;
import java.time.Instant;

import dev.certplane.renewal.RenewalPolicy;

import org.jspecify.annotations.Nullable;

/** When a certificate enters its renewal window under a policy. */
public final class RenewalWindows {

    private RenewalWindows() {
    }

    /**
     * @param ariStart the start of the CA's suggested window (RFC 9773 4.2), if it gave one
     */
    public static Instant start(RenewalPolicy policy, Instant notBefore, Instant notAfter, @Nullable Instant ariStart) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        Instant thirdLeft = notAfter.minus(lifetime.dividedBy(3));
        return switch (policy.window()) {
            case LIFETIME -> thirdLeft;
            case ARI -> ariStart != null ? ariStart : days(policy, lifetime, notAfter, thirdLeft);
            case DAYS -> days(policy, lifetime, notAfter, thirdLeft);
        };
    }

    /**
     * A short-lived certificate (renew-before at least half its lifetime) would be renewed as soon as it was issued,
     * over and over; it renews when a third of its lifetime remains instead.
     */
    private static Instant days(RenewalPolicy policy, Duration lifetime, Instant notAfter, Instant thirdLeft) {
        Duration before = Duration.ofDays(policy.renewBeforeDays());
        return before.multipliedBy(2).compareTo(lifetime) >= 0 ? thirdLeft : notAfter.minus(before);
    }
}
