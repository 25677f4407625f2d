package dev.certplane.probes.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.alerts.Alerts;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.inventory.Sightings;
import dev.certplane.probes.internal.store.ConfirmationStore;
import dev.certplane.probes.internal.store.ProbeStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Probe targets for operators: create, change, delete, list, read the history, and probe now. */
@Service
public class ProbeTargets {

    public static final int MAX_PAGE_SIZE = 500;
    public static final int MAX_RESULTS = 1000;

    private final ProbeStore store;
    private final ConfirmationStore confirmations;
    private final Prober prober;
    private final Sightings sightings;
    private final ManagedCertificates certificates;
    private final Alerts alerts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ProbeTargets(ProbeStore store, ConfirmationStore confirmations, Prober prober, Sightings sightings,
            ManagedCertificates certificates, Alerts alerts, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.confirmations = confirmations;
        this.prober = prober;
        this.sightings = sightings;
        this.certificates = certificates;
        this.alerts = alerts;
        this.events = events;
        this.clock = clock;
    }

    /**
     * A scheduled target is due at once; one without an interval waits to be asked.
     *
     * @throws IllegalArgumentException if the managed certificate does not exist
     * @throws ProbeTargetConflictException if another target probes the endpoint
     */
    @Transactional
    public ProbeTarget create(ProbeTargetDraft draft) {
        requireManagedCertificate(draft);
        Instant now = clock.instant();
        ProbeTarget target = new ProbeTarget(Ids.random(), draft, now, now, scheduled(draft) ? now : null, null, null,
                null, null);
        store.targetAt(draft.host(), draft.port(), draft.sni()).ifPresent(other -> {
            throw endpointTaken(draft, other);
        });
        if (!store.insertTarget(target)) {
            throw endpointTaken(draft, null);
        }
        audit("probe-target.created", target);
        return target;
    }

    /**
     * Replaces the target's description; its history stays. The next probe follows the new interval (at once if it
     * was never probed or its turn has passed). Disabling it, or pointing it at another managed certificate, drops
     * its pending confirmations.
     *
     * @return empty if there is no such target
     */
    @Transactional
    public Optional<ProbeTarget> update(String id, ProbeTargetDraft draft) {
        Optional<ProbeTarget> existing = store.lockTarget(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        requireManagedCertificate(draft);
        ProbeTarget old = existing.get();
        Instant now = clock.instant();
        Instant next = null;
        if (scheduled(draft)) {
            next = old.lastProbedAt() == null ? now : old.lastProbedAt().plusSeconds(draft.intervalSeconds());
            next = next.isBefore(now) ? now : next;
        }
        ProbeTarget changed = new ProbeTarget(id, draft, old.createdAt(), now, next, old.lastProbedAt(), old.status(),
                old.statusSince(), old.lastResultId());
        store.targetAt(draft.host(), draft.port(), draft.sni()).filter(other -> !other.equals(id)).ifPresent(other -> {
            throw endpointTaken(draft, other);
        });
        if (!store.updateTarget(changed)) {
            throw endpointTaken(draft, null);
        }
        if (!draft.enabled() || !draft.managedCertificateId().equals(old.spec().managedCertificateId())) {
            confirmations.dropPending(id);
        }
        audit("probe-target.updated", changed);
        return Optional.of(changed);
    }

    /**
     * Deletes the target and its history; its confirmations' concluded parts stay as evidence of the deliveries. What
     * it saw stays in the inventory, no longer listed by it, and its alerts are resolved.
     *
     * @return false if there is no such target
     */
    @Transactional
    public boolean delete(String id) {
        Optional<ProbeTarget> target = store.lockTarget(id);
        if (target.isEmpty()) {
            return false;
        }
        sightings.record(target.get().source(), List.of(), clock.instant());
        confirmations.dropPending(id);
        store.deleteTarget(id);
        alerts.resolveAll(List.of(ProbeRecorder.driftKey(id), ProbeRecorder.confirmationKey(id)),
                "the probe target was deleted");
        audit("probe-target.deleted", target.get());
        return true;
    }

    public Optional<ProbeTarget> find(String id) {
        return store.findTarget(id);
    }

    /**
     * @param managedCertificateId {@code null} for every target
     * @param status {@code null} for any status
     * @param page zero-based
     */
    public ProbePage list(@Nullable String managedCertificateId, @Nullable ProbeStatus status, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page must be 0 or more and size 1 to " + MAX_PAGE_SIZE);
        }
        long total = store.count(managedCertificateId, status);
        List<ProbeTarget> items = (long) page * size >= total ? List.of()
                : store.page(managedCertificateId, status, (long) page * size, size);
        return new ProbePage(items, total, page, size);
    }

    /** The target's latest results, newest first; empty if there is no such target. */
    public Optional<List<ProbeResult>> results(String id, int limit) {
        return store.findTarget(id).map(t -> store.results(id, Math.min(Math.max(limit, 1), MAX_RESULTS)));
    }

    public Optional<ProbeResult> result(String resultId) {
        return store.findResult(resultId);
    }

    /**
     * Probes the target at once, on the caller's thread, and records the result like any other probe (audited as
     * {@code probe-target.probed}).
     *
     * @return empty if there is no such target
     * @throws ProbeTargetConflictException if the target is disabled
     */
    public Optional<ProbeResult> probeNow(String id) {
        Optional<ProbeTarget> target = store.findTarget(id);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        if (!target.get().spec().enabled()) {
            throw new ProbeTargetConflictException("probe target " + id + " is disabled; enable it to probe it");
        }
        return prober.probe(target.get(), ProbeCause.MANUAL);
    }

    private static boolean scheduled(ProbeTargetDraft draft) {
        return draft.enabled() && draft.intervalSeconds() != null;
    }

    private void requireManagedCertificate(ProbeTargetDraft draft) {
        if (certificates.find(draft.managedCertificateId()).isEmpty()) {
            throw new IllegalArgumentException("managedCertificateId: there is no managed certificate "
                    + draft.managedCertificateId());
        }
    }

    /** @param other the target that probes the endpoint; {@code null} for one a concurrent request just added */
    private static ProbeTargetConflictException endpointTaken(ProbeTargetDraft draft, @Nullable String other) {
        return new ProbeTargetConflictException((other == null ? "another probe target" : "probe target " + other)
                + " probes " + draft.describe() + " already; change that one instead");
    }

    private void audit(String action, ProbeTarget target) {
        ProbeTargetDraft spec = target.spec();
        Map<String, String> details = new HashMap<>();
        details.put("endpoint", spec.describe());
        details.put("managedCertificate", spec.managedCertificateId());
        details.put("enabled", String.valueOf(spec.enabled()));
        details.put("interval", spec.intervalSeconds() == null ? "manual" : spec.intervalSeconds() + "s");
        events.publishEvent(AuditRecord.of(clock, action, "probe-target:" + target.id(), Outcome.SUCCESS, details));
    }
}
