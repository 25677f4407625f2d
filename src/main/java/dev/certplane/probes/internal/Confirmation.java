package dev.certplane.probes.internal;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * After a new version or a delivery: whether the endpoints that should serve the managed certificate serve that
 * version. Each endpoint is probed until it does, serves a newer version, or the deadline passes.
 *
 * @param cause {@code version} (a new version was recorded) or {@code delivery} (an edge client fetched it)
 * @param reference the delivery's id, or the version number for a new version
 */
public record Confirmation(String id, String managedCertificateId, int version, String fingerprintSha256,
        String cause, String reference, Instant startedAt, Instant deadline, List<Endpoint> endpoints) {

    public static final String VERSION = "version";
    public static final String DELIVERY = "delivery";

    public Confirmation {
        endpoints = List.copyOf(endpoints);
    }

    /** How an endpoint's part of a confirmation stands. */
    public enum State {
        PENDING, CONFIRMED, SUPERSEDED, UNCONFIRMED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State parse(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One endpoint's part, with the endpoint copied from the target so the evidence outlives it.
     *
     * @param sni the SNI name the target sets, {@code null} for none
     * @param attempts probes of the endpoint while the part was pending
     * @param lastStatus the last of those probes' classification
     * @param servedVersion the version that probe saw, if it was a version
     */
    public record Endpoint(String targetId, String host, int port, @Nullable String sni, State state, int attempts,
            @Nullable ProbeStatus lastStatus, @Nullable Integer servedVersion, @Nullable Instant concludedAt) {

        /** {@code host:port}, IPv6 in brackets. */
        public String address() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Pending while any endpoint is; unconfirmed if any endpoint was given up; otherwise confirmed. */
    public String state() {
        if (endpoints.stream().anyMatch(e -> e.state() == State.PENDING)) {
            return "pending";
        }
        return endpoints.stream().anyMatch(e -> e.state() == State.UNCONFIRMED) ? "unconfirmed" : "confirmed";
    }
}
