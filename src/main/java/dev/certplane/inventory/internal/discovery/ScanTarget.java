package dev.certplane.inventory.internal.discovery;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A stored scan target.
 *
 * @param nextRunAt when the poll next claims it: the interval's next turn or a manual run's request time
 * @param lastRunAt when a run of it last started
 */
public record ScanTarget(String id, ScanTargetDraft spec, Instant createdAt, Instant updatedAt,
        @Nullable Instant nextRunAt, @Nullable Instant lastRunAt) {

    /** What lists the certificates this target finds in the inventory ({@code inv_certificate_sources}). */
    public String source() {
        return source(id);
    }

    public static String source(String targetId) {
        return "discovery:" + targetId;
    }
}
