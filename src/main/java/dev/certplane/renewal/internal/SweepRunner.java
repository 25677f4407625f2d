package dev.certplane.renewal.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.alerts.Alerts;
import dev.certplane.inventory.CertificateVersion;
import dev.certplane.inventory.CurrentVersion;
import dev.certplane.inventory.Inventory;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.renewal.AcmeOrderRenewalDecided;
import dev.certplane.renewal.AttemptState;
import dev.certplane.renewal.ChangeRecord;
import dev.certplane.renewal.RenewalAttempt;
import dev.certplane.renewal.RenewalConflictException;
import dev.certplane.renewal.RenewalPolicy;
import dev.certplane.renewal.SweepSummary;
import dev.certplane.renewal.internal.store.AttemptStore;
import dev.certplane.renewal.internal.store.ChangeRecordStore;
import dev.certplane.renewal.internal.store.PolicyStore;
import dev.certplane.renewal.internal.store.SweepStore;
import dev.certplane.renewal.internal.store.SweepStore.SweepRow;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The renewal sweep. One replica at a time holds the sweep lease (a compare-and-set on one row), whether the sweep
 * was scheduled or asked for. In order: ask the inventory to refresh statuses and expiry alerts; close open
 * attempts of certificates renewed some other way; release held renewals whose change was approved; then walk the
 * managed certificates by expiry, a page at a time, and dispatch those inside their renewal window, counting each
 * policy's running renewals once at the start against its concurrency limit.
 */
@Component
public class SweepRunner {

    public static final String ACTOR = "system:renewal-sweep";
    static final String ORDER_PREFIX = "acme-order:";
    private static final Duration LEASE = Duration.ofHours(1);
    /** The most held, stale or failing attempts one sweep looks at; the next sweep takes the rest. */
    private static final int MAX_SCANNED = 10_000;
    private static final Logger log = LoggerFactory.getLogger(SweepRunner.class);

    private final SweepStore sweeps;
    private final AttemptStore attempts;
    private final PolicyStore policies;
    private final ChangeRecordStore changes;
    private final Dispatcher dispatcher;
    private final AttemptOutcomes outcomes;
    private final ManagedCertificates certificates;
    private final Inventory inventory;
    private final RenewalSchedule schedule;
    private final Alerts alerts;
    private final RenewalSettings settings;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    SweepRunner(SweepStore sweeps, AttemptStore attempts, PolicyStore policies, ChangeRecordStore changes,
            Dispatcher dispatcher, AttemptOutcomes outcomes, ManagedCertificates certificates, Inventory inventory,
            RenewalSchedule schedule, Alerts alerts, RenewalSettings settings, PlatformTransactionManager transactions,
            ApplicationEventPublisher events, Clock clock) {
        this.sweeps = sweeps;
        this.attempts = attempts;
        this.policies = policies;
        this.changes = changes;
        this.dispatcher = dispatcher;
        this.outcomes = outcomes;
        this.certificates = certificates;
        this.inventory = inventory;
        this.schedule = schedule;
        this.alerts = alerts;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactions);
        this.events = events;
        this.clock = clock;
    }

    private static final class Counts {
        int candidates;
        int dispatched;
        int awaiting;
        int approved;
        int deferred;
        int superseded;
    }

    /**
     * @param trigger {@code scheduled} or {@code manual}
     * @throws RenewalConflictException if another sweep holds the lease
     */
    public SweepSummary run(String trigger, String requestedBy) {
        String holder = Ids.random();
        Instant start = clock.instant();
        if (!sweeps.acquire(holder, start, start.plus(LEASE))) {
            SweepStore.Lease lease = sweeps.lease();
            throw new RenewalConflictException("a renewal sweep is running on another replica (its lease runs until "
                    + lease.until() + "); try again when it has finished");
        }
        try {
            SweepRow row = new SweepRow(holder, trigger, requestedBy, start, null, 0, 0, 0, 0, 0, 0);
            transaction.executeWithoutResult(s -> sweeps.insert(row));
            inventory.requestExpiryCheck();
            Counts counts = new Counts();
            counts.superseded = closeStale();
            Map<String, Integer> running = new HashMap<>(attempts.runningByPolicy());
            releaseApproved(running, counts);
            dispatchDue(running, counts);
            SweepRow done = new SweepRow(holder, trigger, requestedBy, start, clock.instant(), counts.candidates,
                    counts.dispatched, counts.awaiting, counts.approved, counts.deferred, counts.superseded);
            transaction.executeWithoutResult(s -> {
                sweeps.finish(done);
                events.publishEvent(AuditRecord.of(clock, "renewal.sweep.completed", "renewal-sweep:" + holder,
                        Outcome.SUCCESS, Map.of("trigger", trigger, "candidates", String.valueOf(done.candidates()),
                                "dispatched", String.valueOf(done.dispatched()),
                                "awaitingApproval", String.valueOf(done.awaitingApproval()),
                                "approvedDispatched", String.valueOf(done.approvedDispatched()),
                                "deferred", String.valueOf(done.deferred()),
                                "superseded", String.valueOf(done.superseded()))).by(requestedBy));
            });
            log.info("Renewal sweep: {} in their window, {} dispatched, {} held for approval, {} released after"
                    + " approval, {} deferred, {} superseded", done.candidates(), done.dispatched(),
                    done.awaitingApproval(), done.approvedDispatched(), done.deferred(), done.superseded());
            return summary(done);
        } finally {
            sweeps.release(holder);
        }
    }

    public static SweepSummary summary(SweepRow r) {
        return new SweepSummary(r.id(), r.trigger(), r.requestedBy(), r.startedAt(), r.finishedAt(), r.candidates(),
                r.dispatched(), r.awaitingApproval(), r.approvedDispatched(), r.deferred(), r.superseded());
    }

    /**
     * Open attempts that have not started, of certificates whose current version changed since (an edge client or an
     * operator renewed it), are superseded; failure alerts of certificates renewed since their last failed attempt
     * are resolved.
     */
    private int closeStale() {
        int closed = 0;
        for (RenewalAttempt open : attempts.notStarted(MAX_SCANNED)) {
            Integer current = currentVersion(open.managedCertificateId());
            if (current == null || current.equals(open.oldVersion())) {
                continue;
            }
            String reason = "the managed certificate was renewed some other way: version " + current + " is current";
            boolean done = Boolean.TRUE.equals(transaction.execute(s -> {
                if (!outcomes.close(open, open.state(), AttemptState.SUPERSEDED, reason, "renewal.superseded")) {
                    return false;
                }
                if (open.changeRecordId() != null) {
                    changes.decide(open.changeRecordId(), ChangeRecord.CANCELLED, null, reason, clock.instant());
                }
                if (open.reference() != null && open.reference().startsWith(ORDER_PREFIX)) {
                    events.publishEvent(new AcmeOrderRenewalDecided(open.id(),
                            open.reference().substring(ORDER_PREFIX.length()), false, reason));
                }
                return true;
            }));
            closed += done ? 1 : 0;
        }
        for (RenewalAttempt failed : attempts.latestFailures(MAX_SCANNED)) {
            Integer current = currentVersion(failed.managedCertificateId());
            if (current != null && !current.equals(failed.oldVersion()) && !current.equals(failed.newVersion())) {
                transaction.executeWithoutResult(s -> alerts.resolve(
                        AttemptOutcomes.alertKey(failed.managedCertificateId()),
                        "renewed some other way: version " + current + " is current"));
            }
        }
        return closed;
    }

    private @Nullable Integer currentVersion(String managedCertificateId) {
        return certificates.find(managedCertificateId).map(ManagedCertificate::currentVersion).orElse(null);
    }

    /** Held renewals whose change was approved go ahead (within the concurrency limit). */
    private void releaseApproved(Map<String, Integer> running, Counts counts) {
        Map<String, RenewalPolicy> byId = new HashMap<>();
        policies.list().forEach(p -> byId.put(p.id(), p));
        for (RenewalAttempt held : attempts.approvedAwaiting(MAX_SCANNED)) {
            RenewalPolicy policy = held.policyId() == null ? null : byId.get(held.policyId());
            if (policy != null && running.getOrDefault(policy.id(), 0) >= policy.maxConcurrentRenewals()) {
                counts.deferred++;
                continue;
            }
            if (dispatcher.release(held)) {
                counts.approved++;
                if (policy != null) {
                    running.merge(policy.id(), 1, Integer::sum);
                }
            }
        }
    }

    private void dispatchDue(Map<String, Integer> running, Counts counts) {
        Instant now = clock.instant();
        Map<String, Optional<RenewalPolicy>> byScope = new HashMap<>();
        CurrentVersion after = null;
        List<CurrentVersion> page;
        do {
            page = certificates.currentVersions(after, settings.batchSize());
            for (CurrentVersion candidate : page) {
                ManagedCertificate managed = candidate.certificate();
                Optional<RenewalPolicy> found = byScope.computeIfAbsent(
                        managed.organization() == null ? "" : managed.organization(),
                        org -> policies.effective(org.isEmpty() ? null : org));
                if (found.isEmpty() || !found.get().active() || !found.get().autoRenew()
                        || !found.get().method().dispatches()) {
                    continue;
                }
                RenewalPolicy policy = found.get();
                CertificateVersion version = candidate.version();
                if (now.isBefore(schedule.windowStart(policy, version))) {
                    continue;
                }
                counts.candidates++;
                if (attempts.open(managed.id()).isPresent()) {
                    continue;
                }
                Optional<RenewalAttempt> latest = attempts.history(managed.id(), 1).stream().findFirst();
                if (latest.isPresent() && latest.get().nextRetryAt() != null && latest.get().nextRetryAt().isAfter(now)
                        && latest.get().oldVersion() != null && latest.get().oldVersion() == version.version()) {
                    counts.deferred++;
                    continue;
                }
                if (!policy.requireChangeRecord()
                        && running.getOrDefault(policy.id(), 0) >= policy.maxConcurrentRenewals()) {
                    counts.deferred++;
                    continue;
                }
                Optional<RenewalAttempt> created = dispatcher.create(managed, version, policy, "sweep", ACTOR, null);
                if (created.isEmpty()) {
                    continue;
                }
                if (created.get().state() == AttemptState.AWAITING_CHANGE_APPROVAL) {
                    counts.awaiting++;
                } else {
                    counts.dispatched++;
                    running.merge(policy.id(), 1, Integer::sum);
                }
            }
            after = page.isEmpty() ? null : page.get(page.size() - 1);
        } while (page.size() == settings.batchSize());
    }
}
