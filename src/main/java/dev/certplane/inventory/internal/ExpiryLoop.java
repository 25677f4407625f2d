package dev.certplane.inventory.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.certplane.alerts.AlertChanges;
import dev.certplane.alerts.AlertDraft;
import dev.certplane.alerts.Alerts;
import dev.certplane.inventory.CertificateStatus;
import dev.certplane.inventory.Inventory;
import dev.certplane.inventory.internal.store.ExpiryStore;
import dev.certplane.inventory.internal.store.ExpiryStore.Cursor;
import dev.certplane.inventory.internal.store.ExpiryStore.Row;
import dev.certplane.inventory.internal.store.ExpiryStore.StatusChange;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brings stored statuses, ratings and expiry alerts up to date with the clock. Status is stored so that lists and
 * counts can filter on it with an index, and so it ages: this loop refreshes it.
 *
 * <p>It reads the actionable range (expired up to 30 days ago, expiring within 90 days or the expiring-soon
 * threshold if that is longer) completely, and outside it only rows whose stored status cannot be right there (an
 * expiring status far from expiry, a not-expired status long after it), each through an index, so the valid
 * certificates far from expiry that make up most of an inventory are never read. Pages of {@value #BATCH} rows
 * in (notAfter, id) order, each in its own transaction: a long run holds no locks for long and a failure loses at
 * most one page, which the next run redoes.
 */
@Component
public class ExpiryLoop {

    static final int BATCH = 1000;
    static final Duration EXPIRED_RANGE = Duration.ofDays(30);
    static final Duration AHEAD_RANGE = Duration.ofDays(90);
    private static final Logger log = LoggerFactory.getLogger(ExpiryLoop.class);

    private final ExpiryStore store;
    private final Inventory inventory;
    private final InventorySettings settings;
    private final Alerts alerts;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer timer;

    ExpiryLoop(ExpiryStore store, Inventory inventory, InventorySettings settings,
            Alerts alerts, PlatformTransactionManager transactions, ApplicationEventPublisher events, Clock clock,
            MeterRegistry meters) {
        this.store = store;
        this.inventory = inventory;
        this.settings = settings;
        this.alerts = alerts;
        this.transaction = new TransactionTemplate(transactions);
        this.events = events;
        this.clock = clock;
        this.meters = meters;
        this.timer = Timer.builder("certplane.inventory.expiry.loop")
                .description("Duration of one expiry loop over the inventory").register(meters);
    }

    /** What one run did. */
    public record Summary(int checked, int statusChanged, int outOfRangeCorrected, int rerated, AlertChanges alerts,
            long durationMs) {
    }

    private static final class Counts {
        int checked;
        int statusChanged;
        int corrected;
        int rerated;
        AlertChanges alerts = AlertChanges.NONE;
    }

    public Summary run() {
        Timer.Sample sample = Timer.start(meters);
        Instant now = clock.instant();
        Instant from = now.minus(EXPIRED_RANGE);
        Duration ahead = AHEAD_RANGE.compareTo(Duration.ofDays(settings.expiringSoonDays())) >= 0 ? AHEAD_RANGE
                : Duration.ofDays(settings.expiringSoonDays());
        Instant to = now.plus(ahead);
        Counts counts = new Counts();
        walk(Cursor.before(from), after -> store.expiringUpTo(to, after, BATCH), now, counts, false);
        // Beyond the range every certificate is valid (or revoked); before it, expired (or revoked).
        for (CertificateStatus status : List.of(CertificateStatus.EXPIRING_SOON, CertificateStatus.EXPIRING,
                CertificateStatus.EXPIRED)) {
            walk(Cursor.before(to), after -> store.withStatus(status, after, BATCH), now, counts, true);
        }
        for (CertificateStatus status : List.of(CertificateStatus.VALID, CertificateStatus.EXPIRING_SOON,
                CertificateStatus.EXPIRING)) {
            walk(null, after -> store.withStatusBefore(status, from, after, BATCH), now, counts, true);
        }
        long durationMs = Duration.ofNanos(sample.stop(timer)).toMillis();
        Summary summary = new Summary(counts.checked, counts.statusChanged, counts.corrected, counts.rerated,
                counts.alerts, durationMs);
        transaction.executeWithoutResult(status -> events.publishEvent(AuditRecord.of(clock,
                "inventory.expiry-loop.completed", "inventory:expiry-loop", Outcome.SUCCESS, details(summary))));
        log.info("Expiry loop checked {} certificates in {} ms: {} status changes ({} outside the actionable range),"
                + " {} re-rated, alerts {} opened, {} updated, {} resolved", summary.checked(), durationMs,
                summary.statusChanged(), summary.outOfRangeCorrected(), summary.rerated(), summary.alerts().opened(),
                summary.alerts().updated(), summary.alerts().resolved());
        return summary;
    }

    private void walk(@Nullable Cursor start, Function<@Nullable Cursor, List<Row>> page, Instant now, Counts counts,
            boolean outOfRange) {
        Cursor after = start;
        List<Row> rows;
        do {
            rows = page.apply(after);
            List<Row> batch = rows;
            transaction.executeWithoutResult(status -> process(batch, now, counts, outOfRange));
            if (!rows.isEmpty()) {
                after = rows.get(rows.size() - 1).cursor();
            }
        } while (rows.size() == BATCH);
    }

    private void process(List<Row> rows, Instant now, Counts counts, boolean outOfRange) {
        List<StatusChange> changes = new ArrayList<>();
        List<AlertDraft> open = new ArrayList<>();
        Map<String, List<String>> resolve = new LinkedHashMap<>();
        for (Row row : rows) {
            CertificateStatus status = CertificateStatus.of(row.notAfter(), row.revokedAt(), now,
                    settings.expiringSoonDays(), settings.expiringDays());
            if (status != row.status()) {
                changes.add(new StatusChange(row.id(), row.status(), status));
            }
            if (!row.ca()) {
                Optional<AlertDraft> draft = ExpiryAlerts.draft(row, status);
                if (draft.isPresent()) {
                    open.add(draft.get());
                } else {
                    resolve.computeIfAbsent(ExpiryAlerts.resolution(row, status), r -> new ArrayList<>())
                            .add(ExpiryAlerts.key(row.id()));
                }
            }
        }
        int changed = store.updateStatuses(changes, now);
        for (StatusChange change : changes) {
            if (change.to() == CertificateStatus.EXPIRED) {
                inventory.rerate(change.id(), now);
                counts.rerated++;
            }
        }
        AlertChanges alertChanges = alerts.openAll(open);
        for (Map.Entry<String, List<String>> entry : resolve.entrySet()) {
            alertChanges = alertChanges.plus(alerts.resolveAll(entry.getValue(), entry.getKey()));
        }
        counts.checked += rows.size();
        counts.statusChanged += changed;
        counts.corrected += outOfRange ? changed : 0;
        counts.alerts = counts.alerts.plus(alertChanges);
    }

    private static Map<String, String> details(Summary summary) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("checked", String.valueOf(summary.checked()));
        details.put("statusChanged", String.valueOf(summary.statusChanged()));
        details.put("outOfRangeCorrected", String.valueOf(summary.outOfRangeCorrected()));
        details.put("rerated", String.valueOf(summary.rerated()));
        details.put("alertsOpened", String.valueOf(summary.alerts().opened()));
        details.put("alertsUpdated", String.valueOf(summary.alerts().updated()));
        details.put("alertsResolved", String.valueOf(summary.alerts().resolved()));
        details.put("durationMs", String.valueOf(summary.durationMs()));
        return details;
    }
}
