package dev.certplane.renewal;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.certplane.acme.client.AcmeIssuers;
import dev.certplane.acme.client.DnsProviders;
import dev.certplane.renewal.internal.store.PolicyStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Renewal policies: one per scope (the account default or an organization); the most specific one applies. */
@Service
public class RenewalPolicies {

    public static final int DEFAULT_RENEW_BEFORE_DAYS = 30;
    public static final int DEFAULT_MAX_CONCURRENT = 5;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");

    private final PolicyStore store;
    private final AcmeIssuers issuers;
    private final DnsProviders dnsProviders;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RenewalPolicies(PolicyStore store, AcmeIssuers issuers, DnsProviders dnsProviders,
            ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.issuers = issuers;
        this.dnsProviders = dnsProviders;
        this.events = events;
        this.clock = clock;
    }

    public List<RenewalPolicy> list() {
        return store.list();
    }

    public Optional<RenewalPolicy> find(String id) {
        return store.find(id);
    }

    /** The organization's policy, else the account default. */
    public Optional<RenewalPolicy> effective(@Nullable String organization) {
        return store.effective(organization);
    }

    /**
     * @throws IllegalArgumentException naming the field that is wrong
     * @throws RenewalConflictException if the scope has a policy
     */
    @Transactional
    public RenewalPolicy create(RenewalPolicyDraft draft) {
        String scope = required(draft.scope(), "scope", "default or organization");
        String organization = switch (scope) {
            case "default" -> {
                if (draft.organization() != null) {
                    throw new IllegalArgumentException("organization must be left out for scope default");
                }
                yield null;
            }
            case "organization" -> organization(draft.organization());
            default -> throw new IllegalArgumentException("scope must be default or organization (got '" + scope + "')");
        };
        Instant now = clock.instant();
        RenewalPolicy policy = checked(Ids.random(), organization, draft, now, now);
        if (!store.insert(policy)) {
            throw new RenewalConflictException((organization == null ? "the account default"
                    : "organization '" + organization + "'") + " has a renewal policy already; change that one");
        }
        audit("renewal-policy.created", policy);
        return policy;
    }

    /**
     * Replaces everything but the scope, which cannot change.
     *
     * @return empty if there is no such policy
     */
    @Transactional
    public Optional<RenewalPolicy> update(String id, RenewalPolicyDraft draft) {
        Optional<RenewalPolicy> existing = store.find(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        RenewalPolicy old = existing.get();
        if (draft.scope() != null && !draft.scope().equals(old.scope())
                || draft.organization() != null && !draft.organization().strip().equals(old.organization())) {
            throw new IllegalArgumentException("scope cannot be changed (one policy per scope); delete this policy and"
                    + " create one for the other scope");
        }
        RenewalPolicy changed = checked(id, old.organization(), draft, old.createdAt(), clock.instant());
        store.update(changed);
        audit("renewal-policy.updated", changed);
        return Optional.of(changed);
    }

    /** Existing attempts stay; no renewal is dispatched for the scope until another policy covers it. */
    @Transactional
    public boolean delete(String id) {
        Optional<RenewalPolicy> existing = store.find(id);
        if (existing.isEmpty() || !store.delete(id)) {
            return false;
        }
        audit("renewal-policy.deleted", existing.get());
        return true;
    }

    private RenewalPolicy checked(String id, @Nullable String organization, RenewalPolicyDraft d, Instant created,
            Instant updated) {
        RenewalMethod method = RenewalMethod.parse(required(d.method(), "method", "acme, internal, manual or none"));
        boolean autoRenew = d.autoRenew() == null ? method.dispatches() : d.autoRenew();
        if (autoRenew && !method.dispatches()) {
            throw new IllegalArgumentException("autoRenew cannot be enabled for method " + method.wire() + ": "
                    + (method == RenewalMethod.MANUAL ? "manual only tracks certificates"
                            : "none disables renewal dispatch"));
        }
        int renewBefore = d.renewBeforeDays() == null ? DEFAULT_RENEW_BEFORE_DAYS : d.renewBeforeDays();
        if (renewBefore < 1 || renewBefore > 365) {
            throw new IllegalArgumentException("renewBeforeDays must be from 1 to 365 (got " + renewBefore + ")");
        }
        WindowMode window = d.window() == null ? WindowMode.DAYS : WindowMode.parse(d.window());
        int maxConcurrent = d.maxConcurrentRenewals() == null ? DEFAULT_MAX_CONCURRENT : d.maxConcurrentRenewals();
        if (maxConcurrent < 1 || maxConcurrent > 1000) {
            throw new IllegalArgumentException("maxConcurrentRenewals must be from 1 to 1000 (got " + maxConcurrent + ")");
        }
        String issuer = blankToNull(d.acmeIssuerId());
        String contact = blankToNull(d.acmeContact());
        String challenge = blankToNull(d.acmeChallenge());
        String dnsProvider = blankToNull(d.acmeDnsProviderId());
        if (method == RenewalMethod.ACME) {
            if (issuer == null || issuers.find(issuer).isEmpty()) {
                throw new IllegalArgumentException("method acme needs acmeIssuerId naming an ACME issuer"
                        + (issuer == null ? "" : " ('" + issuer + "' names none)"));
            }
            if (contact == null || contact.length() > 254 || !EMAIL.matcher(contact).matches()) {
                throw new IllegalArgumentException("method acme needs acmeContact, an e-mail address such as"
                        + " pki-team@example.com" + (contact == null ? "" : " (got '" + contact + "')"));
            }
            challenge = challenge == null ? "http-01" : challenge;
            if (!challenge.equals("http-01") && !challenge.equals("dns-01")) {
                throw new IllegalArgumentException("acmeChallenge must be http-01 or dns-01 (got '" + challenge + "')");
            }
            if (challenge.equals("dns-01") && (dnsProvider == null || !dnsProviders.exists(dnsProvider))) {
                throw new IllegalArgumentException("acmeChallenge dns-01 needs acmeDnsProviderId naming a DNS provider"
                        + (dnsProvider == null ? "" : " ('" + dnsProvider + "' names none)"));
            }
            if (challenge.equals("http-01") && dnsProvider != null) {
                throw new IllegalArgumentException("acmeDnsProviderId only applies to acmeChallenge dns-01");
            }
        } else if (issuer != null || contact != null || challenge != null || dnsProvider != null) {
            throw new IllegalArgumentException("acmeIssuerId, acmeContact, acmeChallenge and acmeDnsProviderId only"
                    + " apply to method acme");
        }
        return new RenewalPolicy(id, organization, method, autoRenew, renewBefore, window, issuer, contact, challenge,
                dnsProvider, Boolean.TRUE.equals(d.requireChangeRecord()), Boolean.TRUE.equals(d.rollbackOnFailure()),
                maxConcurrent, d.active() == null || d.active(), created, updated);
    }

    private static String organization(@Nullable String organization) {
        String value = organization == null ? "" : organization.strip();
        if (value.isEmpty() || value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("scope organization needs organization, 1 to 200 printable characters");
        }
        return value;
    }

    private static String required(@Nullable String value, String field, String expected) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required: " + expected);
        }
        return value.strip();
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private void audit(String action, RenewalPolicy p) {
        Map<String, String> details = new HashMap<>();
        details.put("scope", p.organization() == null ? "default" : "organization:" + p.organization());
        details.put("method", p.method().wire());
        details.put("autoRenew", String.valueOf(p.autoRenew()));
        details.put("renewBeforeDays", String.valueOf(p.renewBeforeDays()));
        details.put("window", p.window().wire());
        details.put("requireChangeRecord", String.valueOf(p.requireChangeRecord()));
        details.put("rollbackOnFailure", String.valueOf(p.rollbackOnFailure()));
        details.put("maxConcurrentRenewals", String.valueOf(p.maxConcurrentRenewals()));
        details.put("active", String.valueOf(p.active()));
        if (p.acmeIssuerId() != null) {
            details.put("acmeIssuer", p.acmeIssuerId());
        }
        events.publishEvent(AuditRecord.of(clock, action, "renewal-policy:" + p.id(), Outcome.SUCCESS, details));
    }
}
