package dev.certplane.renewal;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A managed certificate's renewals: the policy that applies, its attempts newest first, and when the sweep retries
 * after a failure.
 *
 * @param nextRetryAt set while the latest attempt failed and its backoff runs
 * @param windowStart when the current version enters its renewal window under the policy, if both exist
 */
public record RenewalHistory(String managedCertificateId, String name, @Nullable RenewalPolicy policy,
        @Nullable Instant windowStart, @Nullable Instant nextRetryAt, List<RenewalAttempt> attempts) {

    public RenewalHistory {
        attempts = List.copyOf(attempts);
    }
}
