package dev.certplane.renewal;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One renewal try of a managed certificate.
 *
 * @param trigger {@code sweep}, {@code manual} (renew now) or {@code acme-order} (an edge client's order held for
 *     approval)
 * @param reference what the attempt serves when it is not Certplane's own renewal ({@code acme-order:<id>})
 * @param jobReference the work that runs it ({@code acme-workflow:<id>}, {@code internal-ca})
 * @param consecutiveFailures for a failed attempt, how many attempts in a row have failed with it
 * @param nextRetryAt for a failed attempt, when the sweep may try again (the backoff)
 */
public record RenewalAttempt(String id, String managedCertificateId, @Nullable String policyId, String method,
        AttemptState state, String trigger, String requestedBy, @Nullable String reference,
        @Nullable String jobReference, @Nullable String changeRecordId, @Nullable Integer oldVersion,
        @Nullable Instant oldNotAfter, @Nullable Integer newVersion, @Nullable Instant newNotAfter,
        @Nullable String error, @Nullable String rollbackNote, int consecutiveFailures, @Nullable Instant nextRetryAt,
        Instant createdAt, @Nullable Instant startedAt, @Nullable Instant finishedAt) {
}
