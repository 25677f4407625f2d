package dev.certplane.probes.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certplane.probes.*}.
 *
 * @param pollInterval how often due probe targets are looked for (on one replica)
 * @param concurrency how many probe handshakes one replica has in flight at most
 * @param connectTimeout how long a TCP connect may take before the endpoint counts as unreachable
 * @param handshakeTimeout how long STARTTLS and the TLS handshake may wait for each read from the server
 * @param confirmWindow how long after a new version or a delivery its endpoints are probed until they serve it
 * @param confirmRetryInterval the time between those probes
 * @param historyRetention how long probe results are kept (each target's latest result is always kept)
 */
@ConfigurationProperties("certplane.probes")
public record ProbeSettings(@DefaultValue("15s") Duration pollInterval, @DefaultValue("32") int concurrency,
        @DefaultValue("3s") Duration connectTimeout, @DefaultValue("5s") Duration handshakeTimeout,
        @DefaultValue("10m") Duration confirmWindow, @DefaultValue("15s") Duration confirmRetryInterval,
        @DefaultValue("30d") Duration historyRetention) {

    public ProbeSettings {
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("certplane.probes.concurrency must be from 1 to 1024, was " + concurrency);
        }
        positive("poll-interval", pollInterval, "15s");
        positive("connect-timeout", connectTimeout, "3s");
        positive("handshake-timeout", handshakeTimeout, "5s");
        positive("confirm-window", confirmWindow, "10m");
        positive("confirm-retry-interval", confirmRetryInterval, "15s");
        if (historyRetention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("certplane.probes.history-retention must be at least 1d, such as 30d");
        }
    }

    private static void positive(String name, Duration value, String example) {
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("certplane.probes." + name + " must be positive and under 24 days, such"
                    + " as " + example);
        }
    }
}
