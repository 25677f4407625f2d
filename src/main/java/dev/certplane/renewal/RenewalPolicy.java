package dev.certplane.renewal;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * When and how the managed certificates of one scope renew.
 *
 * @param organization the organization it covers, {@code null} for the account default
 * @param acmeIssuerId for {@code acme}: the ACME issuer whose workflow renews
 * @param acmeContact for {@code acme}: who the CA and the renewal's notices reach
 * @param acmeChallenge for {@code acme}: {@code http-01} (the built-in responder) or {@code dns-01}
 * @param acmeDnsProviderId for {@code dns-01}: the DNS provider that publishes the answers
 */
public record RenewalPolicy(String id, @Nullable String organization, RenewalMethod method, boolean autoRenew,
        int renewBeforeDays, WindowMode window, @Nullable String acmeIssuerId, @Nullable String acmeContact,
        @Nullable String acmeChallenge, @Nullable String acmeDnsProviderId, boolean requireChangeRecord,
        boolean rollbackOnFailure, int maxConcurrentRenewals, boolean active, Instant createdAt, Instant updatedAt) {

    public String scope() {
        return organization == null ? "default" : "organization";
    }

    /** "Account default" or the organization's name, for messages. */
    public String describeScope() {
        return organization == null ? "the account default policy" : "the policy of organization '" + organization + "'";
    }
}
