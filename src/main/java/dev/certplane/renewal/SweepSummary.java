package dev.certplane.renewal;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What one sweep did.
 *
 * @param candidates managed certificates inside their renewal window under a policy that renews automatically
 * @param dispatched renewals it started
 * @param awaitingApproval renewals it held for change approval
 * @param approvedDispatched held renewals whose change was approved, released by it
 * @param deferred renewals left for a later sweep: the policy's concurrency limit was reached or a retry backoff runs
 * @param superseded open attempts closed because the certificate was renewed some other way
 */
public record SweepSummary(String id, String trigger, String requestedBy, Instant startedAt,
        @Nullable Instant finishedAt, int candidates, int dispatched, int awaitingApproval, int approvedDispatched,
        int deferred, int superseded) {
}
