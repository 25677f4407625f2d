package dev.certplane.delivery.spi;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Whether the endpoints that should serve a delivered version do: each endpoint is probed until it serves it or
 * the window ends.
 *
 * @param state {@code pending} while an endpoint is still being probed, {@code confirmed} when every endpoint served
 *     the version (or a newer one), {@code unconfirmed} when the window ended before one did
 * @param deadline when the window ends
 */
public record DeliveryConfirmation(String state, int version, Instant startedAt, Instant deadline,
        List<Endpoint> endpoints) {

    public DeliveryConfirmation {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * One endpoint's part.
     *
     * @param state {@code pending}, {@code confirmed}, {@code superseded} (it serves a newer version) or
     *     {@code unconfirmed}
     * @param lastStatus the last probe's classification, such as {@code stale}
     * @param servedVersion the version the last probe saw served, if it was one
     * @param concludedAt when it was confirmed, superseded or given up
     */
    public record Endpoint(String probeTargetId, String endpoint, @Nullable String sni, String state, int attempts,
            @Nullable String lastStatus, @Nullable Integer servedVersion, @Nullable Instant concludedAt) {
    }
}
