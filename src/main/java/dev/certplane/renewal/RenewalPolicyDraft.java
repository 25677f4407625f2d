package dev.certplane.renewal;

import org.jspecify.annotations.Nullable;

/** What an operator gives to create or change a policy; every field but scope and method has a default. */
public record RenewalPolicyDraft(@Nullable String scope, @Nullable String organization, @Nullable String method,
        @Nullable Boolean autoRenew, @Nullable Integer renewBeforeDays, @Nullable String window,
        @Nullable String acmeIssuerId, @Nullable String acmeContact, @Nullable String acmeChallenge,
        @Nullable String acmeDnsProviderId, @Nullable Boolean requireChangeRecord, @Nullable Boolean rollbackOnFailure,
        @Nullable Integer maxConcurrentRenewals, @Nullable Boolean active) {
}
