package dev.certplane.probes.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.certplane.probes.internal.store.ProbeStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The scheduled probes ({@code probe-poll}, one replica at a time): claims every enabled target due at the poll's
 * start by compare-and-set on its next probe time (moved one interval on), probes them on the workers, and deletes
 * results past the retention. A poll that probed anything ends with the audit event {@code probe.poll.completed}.
 */
@Component
class ProbePoll {

    /** At most this many targets per poll; the rest are due at the next one. */
    static final int MAX_PER_POLL = 10_000;

    private final ProbeStore store;
    private final Prober prober;
    private final ProbeSettings settings;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Timer timer;

    ProbePoll(ProbeStore store, Prober prober, ProbeSettings settings, PlatformTransactionManager transactions,
            ApplicationEventPublisher events, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.prober = prober;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactions);
        this.events = events;
        this.clock = clock;
        this.timer = Timer.builder("certplane.probes.poll").description("Duration of one poll of due probe targets")
                .register(meters);
    }

    void run() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        List<ProbeTarget> claimed = transaction.execute(status -> claim(now));
        List<ProbeResult> results = prober.probeAll(claimed, ProbeCause.SCHEDULED);
        int pruned = transaction.execute(status -> store.deleteResultsBefore(now.minus(settings.historyRetention())));
        long elapsed = System.nanoTime() - started;
        timer.record(elapsed, TimeUnit.NANOSECONDS);
        if (claimed.isEmpty()) {
            return;
        }
        Map<String, String> details = new TreeMap<>();
        for (ProbeResult result : results) {
            details.merge(result.status().wire(), "1", (a, b) -> String.valueOf(Integer.parseInt(a) + 1));
        }
        details.put("probed", String.valueOf(claimed.size()));
        details.put("recorded", String.valueOf(results.size()));
        details.put("resultsPruned", String.valueOf(pruned));
        details.put("durationMs", String.valueOf(TimeUnit.NANOSECONDS.toMillis(elapsed)));
        transaction.executeWithoutResult(status -> events.publishEvent(AuditRecord.of(clock, "probe.poll.completed",
                "probes:poll", Outcome.SUCCESS, details)));
    }

    private List<ProbeTarget> claim(Instant now) {
        List<ProbeTarget> claimed = new ArrayList<>();
        for (ProbeTarget target : store.dueTargets(now, MAX_PER_POLL)) {
            Long interval = target.spec().intervalSeconds();
            if (target.nextProbeAt() != null
                    && store.claim(target.id(), target.nextProbeAt(), interval == null ? null : now.plusSeconds(interval))) {
                claimed.add(target);
            }
        }
        return claimed;
    }
}
