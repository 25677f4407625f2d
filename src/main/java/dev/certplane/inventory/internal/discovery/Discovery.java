package dev.certplane.inventory.internal.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.handshake.TlsEndpoint;
import dev.certplane.handshake.TlsNetwork;
import dev.certplane.inventory.Sighting;
import dev.certplane.inventory.Sightings;
import dev.certplane.inventory.internal.store.DiscoveryStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs scans. The {@code inventory-discovery} task calls {@link #poll()} on one replica at a time: it fails runs
 * a stopped process left running, then claims each due target by compare-and-set and scans it. The handshakes
 * happen outside any transaction; what they found is recorded in one transaction with the run's completion
 * and its audit record, so a crash leaves either all of a run's findings or none.
 */
@Service
class Discovery {

    /** A run still running after this long was left behind by a process that stopped. */
    static final Duration INTERRUPTED_AFTER = Duration.ofMinutes(10);
    private static final int FAILURES_SHOWN = 5;
    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    private final DiscoveryStore store;
    private final Sightings recorder;
    private final Scanner scanner;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate transaction;

    Discovery(DiscoveryStore store, Sightings recorder, TlsNetwork network, DiscoverySettings settings,
            ApplicationEventPublisher events, Clock clock, PlatformTransactionManager transactions) {
        this.store = store;
        this.recorder = recorder;
        this.scanner = new Scanner(network, settings.concurrency(),
                new TlsNetwork.Timeouts(settings.connectTimeout(), settings.handshakeTimeout()));
        this.events = events;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    void poll() {
        Instant now = clock.instant();
        for (ScanRun stuck : store.runningSince(now.minus(INTERRUPTED_AFTER))) {
            fail(stuck, "interrupted: the run was still running " + INTERRUPTED_AFTER.toMinutes()
                    + " minutes after it started (the process running it stopped)");
        }
        // Only targets due at the start of this poll, so a poll ends even when scans outlast short intervals.
        for (ScanTarget target : store.dueTargets(now)) {
            Optional<ScanRun> run = transaction.execute(status -> claim(target));
            if (run != null && run.isPresent()) {
                execute(target, run.get());
            }
        }
    }

    /** Moves the target's next run on and starts its queued run (or a new one); empty if another poll won. */
    private Optional<ScanRun> claim(ScanTarget target) {
        Instant now = clock.instant();
        Long interval = target.spec().intervalSeconds();
        Instant next = interval == null ? null : now.plusSeconds(interval);
        if (target.nextRunAt() == null || !store.claim(target.id(), target.nextRunAt(), next, now)) {
            return Optional.empty();
        }
        Optional<ScanRun> queued = store.queuedRun(target.id()).filter(run -> store.startRun(run.id(), now));
        if (queued.isPresent()) {
            return store.findRun(queued.get().id());
        }
        ScanRun run = new ScanRun(Ids.random(), target.id(), ScanRun.State.RUNNING, now, now, null, 0, 0, 0, 0, 0,
                null);
        store.insertRun(run);
        return Optional.of(run);
    }

    private void execute(ScanTarget target, ScanRun run) {
        try {
            List<TlsEndpoint> endpoints = target.spec().expand();
            List<Sighting> observations = scanner.scan(endpoints).stream().map(Sighting::readable).toList();
            transaction.executeWithoutResult(status -> complete(target, run, observations));
        } catch (RuntimeException e) {
            log.warn("scan run {} of target {} failed", run.id(), target.id(), e);
            fail(run, "the run failed: " + e.getMessage());
        }
    }

    private void complete(ScanTarget target, ScanRun run, List<Sighting> observations) {
        Instant now = clock.instant();
        Sightings.Outcome found = recorder.record(target.source(), observations, now);
        ScanRun completed = new ScanRun(run.id(), target.id(), ScanRun.State.COMPLETED, run.queuedAt(),
                run.startedAt(), now, observations.size(), found.handshakesOk(), found.certificatesSeen(),
                found.certificatesAdded(), found.endpointsStale(), failures(observations));
        if (!store.completeRun(completed)) {
            // Rolls the findings back with the transaction: the run was already recorded as failed.
            throw new IllegalStateException("run " + run.id() + " was marked failed while it was still scanning");
        }
        events.publishEvent(AuditRecord.of(clock, "scan.completed", "scan-target:" + target.id(), Outcome.SUCCESS,
                Map.of("run", run.id(), "endpointsScanned", String.valueOf(completed.endpointsScanned()),
                        "handshakesOk", String.valueOf(completed.handshakesOk()),
                        "certificatesSeen", String.valueOf(completed.certificatesSeen()),
                        "certificatesAdded", String.valueOf(completed.certificatesAdded()),
                        "endpointsStale", String.valueOf(completed.endpointsStale()))));
    }

    private void fail(ScanRun run, String error) {
        transaction.executeWithoutResult(status -> {
            if (store.failRun(run.id(), error, clock.instant())) {
                events.publishEvent(AuditRecord.of(clock, "scan.completed", "scan-target:" + run.targetId(),
                        Outcome.FAILURE, Map.of("run", run.id(), "error", error)));
            }
        });
    }

    /** For a completed run: how many endpoints did not answer, and why the first few did not. */
    static @Nullable String failures(List<Sighting> observations) {
        List<Sighting> failed = observations.stream().filter(o -> !o.answered()).toList();
        if (failed.isEmpty()) {
            return null;
        }
        StringBuilder summary = new StringBuilder().append(failed.size()).append(" of ").append(observations.size())
                .append(" endpoints did not answer: ");
        for (int i = 0; i < Math.min(FAILURES_SHOWN, failed.size()); i++) {
            summary.append(i == 0 ? "" : "; ").append(failed.get(i).endpoint()).append(" (")
                    .append(failed.get(i).failure()).append(')');
        }
        if (failed.size() > FAILURES_SHOWN) {
            summary.append("; ...");
        }
        return summary.toString();
    }
}
