package dev.certplane.inventory.internal.discovery;

import java.time.Instant;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One scan of a target and what it found.
 *
 * @param certificatesSeen distinct certificates in the chains served (leaves and intermediates)
 * @param certificatesAdded those of them the inventory did not have before
 * @param endpointsStale endpoint rows of this target that stopped serving their certificate in this run
 * @param error why the run failed; for a completed run, the first endpoints that did not answer
 */
public record ScanRun(String id, String targetId, State state, Instant queuedAt, @Nullable Instant startedAt,
        @Nullable Instant finishedAt, int endpointsScanned, int handshakesOk, int certificatesSeen,
        int certificatesAdded, int endpointsStale, @Nullable String error) {

    public enum State {
        QUEUED, RUNNING, COMPLETED, FAILED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State parse(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }
}
