package dev.certplane.inventory.internal.discovery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certplane.inventory.discovery.*}.
 *
 * @param concurrency how many TLS handshakes one run has in flight at most
 * @param connectTimeout how long a TCP connect may take before the endpoint counts as not answering
 * @param handshakeTimeout how long the TLS handshake may wait for each read from the server
 * @param pollInterval how often due scan targets are looked for (on one replica)
 */
@ConfigurationProperties("certplane.inventory.discovery")
record DiscoverySettings(@DefaultValue("32") int concurrency, @DefaultValue("3s") Duration connectTimeout,
        @DefaultValue("5s") Duration handshakeTimeout, @DefaultValue("15s") Duration pollInterval) {

    DiscoverySettings {
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("certplane.inventory.discovery.concurrency must be from 1 to 1024, was "
                    + concurrency);
        }
        positive("connect-timeout", connectTimeout, "3s");
        positive("handshake-timeout", handshakeTimeout, "5s");
        positive("poll-interval", pollInterval, "15s");
    }

    private static void positive(String name, Duration value, String example) {
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("certplane.inventory.discovery." + name
                    + " must be positive and under 24 days, such as " + example);
        }
    }
}
