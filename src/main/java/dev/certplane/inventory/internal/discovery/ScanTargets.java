package dev.certplane.inventory.internal.discovery;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.inventory.Sightings;
import dev.certplane.inventory.internal.store.DiscoveryStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Scan targets for operators: create, change, delete, list, and ask for a run. */
@Service
public class ScanTargets {

    private static final int MAX_RUNS_LISTED = 100;

    private final DiscoveryStore store;
    private final Sightings recorder;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ScanTargets(DiscoveryStore store, Sightings recorder, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.recorder = recorder;
        this.events = events;
        this.clock = clock;
    }

    /**
     * A scheduled target is due at once; a manual-only one waits for {@link #requestRun}.
     *
     * @throws ScanTargetConflictException if another target has the name
     */
    @Transactional
    public ScanTarget create(ScanTargetDraft draft) {
        Instant now = clock.instant();
        ScanTarget target = new ScanTarget(Ids.random(), draft, now, now,
                draft.intervalSeconds() == null ? null : now, null);
        if (store.nameTaken(draft.name(), target.id()) || !store.insertTarget(target)) {
            throw nameTaken(draft.name());
        }
        audit("scan-target.created", target);
        return target;
    }

    /**
     * Replaces the target's description. The next run follows the new interval (at once if it never ran or its
     * turn has passed); a queued run stays queued unless the target is now disabled, which fails it.
     *
     * @return empty if there is no such target
     */
    @Transactional
    public Optional<ScanTarget> update(String id, ScanTargetDraft draft) {
        Optional<ScanTarget> existing = store.lockTarget(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        if (store.nameTaken(draft.name(), id)) {
            throw nameTaken(draft.name());
        }
        Instant now = clock.instant();
        ScanTarget old = existing.get();
        if (!draft.enabled()) {
            for (ScanRun queued : store.queuedRuns(id)) {
                store.failRun(queued.id(), "the target was disabled before the run started", now);
            }
        }
        boolean queued = draft.enabled() && store.queuedRun(id).isPresent();
        ScanTarget changed = new ScanTarget(id, draft, old.createdAt(), now,
                nextRun(draft.intervalSeconds(), old.lastRunAt(), queued, now), old.lastRunAt());
        if (!store.updateTarget(changed)) {
            throw nameTaken(draft.name());
        }
        audit("scan-target.updated", changed);
        return Optional.of(changed);
    }

    /**
     * Deletes the target and its runs. What it found stays in the inventory, but it no longer lists anything:
     * its endpoint rows become stale and certificates only it listed become stale.
     *
     * @return false if there is no such target
     * @throws ScanTargetConflictException while a run of it is in progress
     */
    @Transactional
    public boolean delete(String id) {
        Optional<ScanTarget> target = store.lockTarget(id);
        if (target.isEmpty()) {
            return false;
        }
        if (store.hasRunning(id)) {
            throw new ScanTargetConflictException("a run of scan target " + id
                    + " is in progress; delete it once the run has ended");
        }
        recorder.record(target.get().source(), List.of(), clock.instant());
        store.deleteTarget(id);
        audit("scan-target.deleted", target.get());
        return true;
    }

    public Optional<ScanTarget> find(String id) {
        return store.findTarget(id);
    }

    public List<ScanTarget> list() {
        return store.targets();
    }

    /**
     * Queues a run that the next poll starts; a run already queued is returned instead of a second one.
     *
     * @return empty if there is no such target
     * @throws ScanTargetConflictException if the target is disabled
     */
    @Transactional
    public Optional<ScanRun> requestRun(String id) {
        Optional<ScanTarget> target = store.lockTarget(id);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        if (!target.get().spec().enabled()) {
            throw new ScanTargetConflictException("scan target " + id + " is disabled; enable it to run it");
        }
        Optional<ScanRun> queued = store.queuedRun(id);
        if (queued.isPresent()) {
            return queued;
        }
        Instant now = clock.instant();
        ScanRun run = new ScanRun(Ids.random(), id, ScanRun.State.QUEUED, now, null, null, 0, 0, 0, 0, 0, null);
        store.insertRun(run);
        ScanTarget t = target.get();
        store.updateTarget(new ScanTarget(id, t.spec(), t.createdAt(), t.updatedAt(), now, t.lastRunAt()));
        events.publishEvent(AuditRecord.of(clock, "scan.requested", "scan-target:" + id, Outcome.SUCCESS,
                Map.of("run", run.id())));
        return Optional.of(run);
    }

    /** The target's latest runs, newest first; empty if there is no such target. */
    public Optional<List<ScanRun>> runs(String id) {
        return store.findTarget(id).map(t -> store.runs(id, MAX_RUNS_LISTED));
    }

    /** When a target is next due: at once for a queued run or a first scheduled run, else one interval after the last. */
    static @Nullable Instant nextRun(@Nullable Long intervalSeconds, @Nullable Instant lastRunAt, boolean queued,
            Instant now) {
        if (queued) {
            return now;
        }
        if (intervalSeconds == null) {
            return null;
        }
        if (lastRunAt == null) {
            return now;
        }
        Instant next = lastRunAt.plusSeconds(intervalSeconds);
        return next.isBefore(now) ? now : next;
    }

    private void audit(String action, ScanTarget target) {
        ScanTargetDraft spec = target.spec();
        Map<String, String> details = new HashMap<>();
        details.put("name", spec.name());
        details.put("scope", spec.cidr() != null ? spec.cidr() + " ports " + spec.ports()
                : String.join(" ", spec.endpoints()));
        details.put("enabled", String.valueOf(spec.enabled()));
        details.put("interval", spec.intervalSeconds() == null ? "manual" : spec.intervalSeconds() + "s");
        if (spec.sni() != null) {
            details.put("sni", spec.sni());
        }
        events.publishEvent(AuditRecord.of(clock, action, "scan-target:" + target.id(), Outcome.SUCCESS, details));
    }

    private static ScanTargetConflictException nameTaken(String name) {
        return new ScanTargetConflictException("a scan target named '" + name + "' exists already");
    }
}
