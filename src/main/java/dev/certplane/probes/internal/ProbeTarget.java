package dev.certplane.probes.internal;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A stored probe target with what its last probe found.
 *
 * @param nextProbeAt when the poll next probes it; {@code null} for a target probed only when asked
 * @param status the last probe's classification; {@code null} before the first probe
 * @param statusSince since when the probes have found that status
 */
public record ProbeTarget(String id, ProbeTargetDraft spec, Instant createdAt, Instant updatedAt,
        @Nullable Instant nextProbeAt, @Nullable Instant lastProbedAt, @Nullable ProbeStatus status,
        @Nullable Instant statusSince, @Nullable String lastResultId) {

    /** What lists the certificates this target sees in the inventory ({@code inv_certificate_sources}). */
    public String source() {
        return "probe:" + id;
    }
}
