package dev.certplane.renewal.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.certplane.alerts.AlertDraft;
import dev.certplane.alerts.AlertSeverity;
import dev.certplane.alerts.Alerts;
import dev.certplane.inventory.CertificateVersion;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.renewal.AttemptState;
import dev.certplane.renewal.RenewalAttempt;
import dev.certplane.renewal.RenewalPolicy;
import dev.certplane.renewal.internal.store.AttemptStore;
import dev.certplane.renewal.internal.store.PolicyStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import io.micrometer.core.instrument.MeterRegistry;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * How an attempt ends: completed once the new version checks out; failed with the next retry time from the backoff,
 * a critical alert, and, when the policy asks, a rollback to the previous version, after which it is rolled back.
 * Each ending commits with its audit events and alert in one transaction.
 */
@Component
public class AttemptOutcomes {

    public static final String ALERT_KIND = "certificate_renewal_failed";
    public static final String ACTOR = "system:renewal";
    /** How far ahead of our clock a new certificate's notBefore may lie (the CA's clock may run ahead). */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(AttemptOutcomes.class);

    private final AttemptStore attempts;
    private final PolicyStore policies;
    private final ManagedCertificates certificates;
    private final Alerts alerts;
    private final ApplicationEventPublisher events;
    private final MeterRegistry meters;
    private final Clock clock;

    AttemptOutcomes(AttemptStore attempts, PolicyStore policies, ManagedCertificates certificates, Alerts alerts,
            ApplicationEventPublisher events, MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.attempts = attempts;
        this.policies = policies;
        this.certificates = certificates;
        this.alerts = alerts;
        this.events = events;
        this.clock = clock;
    }

    public static String alertKey(String managedCertificateId) {
        return "certificate-renewal-failed:" + managedCertificateId;
    }

    /** Checks the new version and completes the attempt, or fails it (rolling back) when the version is wrong. */
    @Transactional
    public void complete(RenewalAttempt attempt, AttemptState from, int newVersion) {
        ManagedCertificate managed = certificates.find(attempt.managedCertificateId()).orElse(null);
        CertificateVersion version = certificates.version(attempt.managedCertificateId(), newVersion).orElse(null);
        if (managed == null || version == null) {
            fail(attempt, from, "version " + newVersion + " of the managed certificate cannot be found", null);
            return;
        }
        Optional<String> problem = problem(managed, attempt, version);
        if (problem.isPresent()) {
            fail(attempt, from, problem.get(), newVersion);
            return;
        }
        Instant now = clock.instant();
        if (!attempts.finish(attempt.id(), from, AttemptState.COMPLETED, newVersion, version.notAfter(), null, null, 0,
                null, now)) {
            return;
        }
        alerts.resolve(alertKey(attempt.managedCertificateId()), "renewal attempt " + attempt.id() + " issued version "
                + newVersion + ", valid until " + version.notAfter());
        Map<String, String> details = details(attempt);
        details.put("newVersion", String.valueOf(newVersion));
        details.put("newNotAfter", version.notAfter().toString());
        details.put("serial", version.serial());
        audit("renewal.completed", attempt, Outcome.SUCCESS, details);
        count(AttemptState.COMPLETED);
        log.info("Renewal attempt {} of managed certificate {} completed: version {}, valid until {}", attempt.id(),
                attempt.managedCertificateId(), newVersion, version.notAfter());
    }

    /**
     * Fails the attempt. With the policy's rollback and a new version that became current, the previous version is
     * made current again in the same transaction, and only then is the attempt rolled back.
     *
     * @param newVersion the version the attempt added, if it got that far
     */
    @Transactional
    public void fail(RenewalAttempt attempt, AttemptState from, String error, @Nullable Integer newVersion) {
        Instant now = clock.instant();
        int consecutive = consecutiveFailures(attempt) + 1;
        Instant nextRetry = now.plus(Backoff.after(consecutive));
        RenewalPolicy policy = attempt.policyId() == null ? null : policies.find(attempt.policyId()).orElse(null);
        boolean rollback = policy != null && policy.rollbackOnFailure();
        String note = null;
        boolean restored = false;
        if (rollback) {
            if (newVersion == null || attempt.oldVersion() == null) {
                note = "nothing to roll back: no new version became current";
            } else {
                restored = certificates.restoreVersion(attempt.managedCertificateId(), newVersion, attempt.oldVersion(),
                        ACTOR);
                note = restored ? "version " + attempt.oldVersion() + " is current again in place of version "
                        + newVersion : "not rolled back: version " + newVersion + " is no longer the current version";
            }
        }
        if (!attempts.finish(attempt.id(), from, AttemptState.FAILED, newVersion, null, error, note, consecutive,
                nextRetry, now)) {
            return;
        }
        Map<String, String> details = details(attempt);
        details.put("error", error);
        details.put("consecutiveFailures", String.valueOf(consecutive));
        details.put("nextRetryAt", nextRetry.toString());
        audit("renewal.failed", attempt, Outcome.FAILURE, details);
        count(restored ? AttemptState.ROLLED_BACK : AttemptState.FAILED);
        log.warn("Renewal attempt {} of managed certificate {} failed ({} in a row, next retry {}): {}", attempt.id(),
                attempt.managedCertificateId(), consecutive, nextRetry, error);
        if (restored) {
            attempts.transition(attempt.id(), AttemptState.FAILED, AttemptState.ROLLED_BACK, now);
            Map<String, String> rolledBack = details(attempt);
            rolledBack.put("restoredVersion", String.valueOf(attempt.oldVersion()));
            rolledBack.put("failedVersion", String.valueOf(newVersion));
            audit("renewal.rolled-back", attempt, Outcome.SUCCESS, rolledBack);
        }
        String name = certificates.find(attempt.managedCertificateId()).map(ManagedCertificate::name)
                .orElse(attempt.managedCertificateId());
        alerts.openAll(List.of(new AlertDraft(alertKey(attempt.managedCertificateId()),
                ALERT_KIND, AlertSeverity.CRITICAL, "managed-certificate:" + attempt.managedCertificateId(),
                "Renewal of " + name + " failed", error + (note == null ? "" : " (" + note + ")") + "; next retry "
                        + nextRetry + " (failure " + consecutive + " in a row)",
                Map.of("attempt", attempt.id(), "consecutiveFailures", String.valueOf(consecutive),
                        "nextRetryAt", nextRetry.toString()))));
    }

    /**
     * Closes an attempt whose change was rejected or that something else made pointless. It is not a failure of the
     * renewal: no backoff, no alert.
     */
    @Transactional
    public boolean close(RenewalAttempt attempt, AttemptState from, AttemptState to, String reason, String action) {
        if (!attempts.finish(attempt.id(), from, to, null, null, reason, null, 0, null, clock.instant())) {
            return false;
        }
        Map<String, String> details = details(attempt);
        details.put("reason", reason);
        audit(action, attempt, Outcome.SUCCESS, details);
        return true;
    }

    /** How many attempts in a row failed before this one (a completed attempt ends the run). */
    int consecutiveFailures(RenewalAttempt attempt) {
        for (RenewalAttempt earlier : attempts.history(attempt.managedCertificateId(), 50)) {
            if (earlier.id().equals(attempt.id())) {
                continue;
            }
            if (earlier.state() == AttemptState.COMPLETED) {
                return 0;
            }
            if ((earlier.state() == AttemptState.FAILED || earlier.state() == AttemptState.ROLLED_BACK)
                    && earlier.consecutiveFailures() > 0) {
                return earlier.consecutiveFailures();
            }
        }
        return 0;
    }

    /** What is wrong with a new version, if any: it must cover every name, be valid now, and not end before the old. */
    private Optional<String> problem(ManagedCertificate managed, RenewalAttempt attempt, CertificateVersion version) {
        Set<String> covered = new HashSet<>();
        version.names().forEach(n -> covered.add(n.toLowerCase(Locale.ROOT)));
        List<String> missing = managed.names().stream().filter(n -> !covered.contains(n.toLowerCase(Locale.ROOT)))
                .toList();
        if (!missing.isEmpty()) {
            return Optional.of("version " + version.version() + " does not cover " + missing);
        }
        Instant now = clock.instant();
        if (version.notBefore().isAfter(now.plus(CLOCK_SKEW)) || !version.notAfter().isAfter(now)) {
            return Optional.of("version " + version.version() + " is not valid now (" + version.notBefore() + " to "
                    + version.notAfter() + ")");
        }
        if (attempt.oldNotAfter() != null && version.notAfter().isBefore(attempt.oldNotAfter())) {
            return Optional.of("version " + version.version() + " expires at " + version.notAfter()
                    + ", before the version it renews (" + attempt.oldNotAfter() + "); check the profile's validity");
        }
        return Optional.empty();
    }

    private void count(AttemptState outcome) {
        meters.counter("certplane.renewal.attempts", "outcome", outcome.wire()).increment();
    }

    static Map<String, String> details(RenewalAttempt attempt) {
        Map<String, String> details = new HashMap<>();
        details.put("managedCertificate", attempt.managedCertificateId());
        details.put("method", attempt.method());
        details.put("trigger", attempt.trigger());
        if (attempt.oldVersion() != null) {
            details.put("oldVersion", String.valueOf(attempt.oldVersion()));
        }
        if (attempt.reference() != null) {
            details.put("reference", attempt.reference());
        }
        return details;
    }

    private void audit(String action, RenewalAttempt attempt, Outcome outcome, Map<String, String> details) {
        events.publishEvent(AuditRecord.of(clock, action, "renewal-attempt:" + attempt.id(), outcome, details));
    }
}
