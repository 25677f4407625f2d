package dev.certplane.renewal.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certplane.renewal.*}.
 *
 * @param sweepInterval the time between scheduled sweeps (daily by default; one replica runs each)
 * @param runnerInterval how often pending attempts, ACME workflows of running ones and interrupted ones are looked at
 * @param batchSize how many managed certificates the sweep reads per page
 * @param attemptLease how long a replica may run one attempt before another takes it over as interrupted
 * @param maxInterruptions after this many interruptions an attempt fails instead of running again
 */
@ConfigurationProperties("certplane.renewal")
public record RenewalSettings(@DefaultValue("24h") Duration sweepInterval, @DefaultValue("5s") Duration runnerInterval,
        @DefaultValue("500") int batchSize, @DefaultValue("10m") Duration attemptLease,
        @DefaultValue("3") int maxInterruptions) {

    public RenewalSettings {
        positive("sweep-interval", sweepInterval, "24h");
        positive("runner-interval", runnerInterval, "5s");
        positive("attempt-lease", attemptLease, "10m");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("certplane.renewal.batch-size must be from 1 to 10000, was " + batchSize);
        }
        if (maxInterruptions < 1 || maxInterruptions > 100) {
            throw new IllegalArgumentException("certplane.renewal.max-interruptions must be from 1 to 100, was "
                    + maxInterruptions);
        }
    }

    private static void positive(String name, Duration value, String example) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("certplane.renewal." + name + " must be positive, such as " + example);
        }
    }
}
