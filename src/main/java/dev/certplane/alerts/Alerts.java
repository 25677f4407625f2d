package dev.certplane.alerts;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.alerts.internal.notify.NotificationEvent;
import dev.certplane.alerts.internal.notify.NotificationOutbox;
import dev.certplane.alerts.internal.store.AlertStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opens, updates and resolves alerts by deduplication key. The store keeps at most one open alert per key
 * ({@code alert_open_keys} has the key as primary key), so opening a key that is open updates that alert instead of
 * adding one; a caller racing another on the same new key fails on that key rather than duplicating it.
 * Opening, escalating (a higher severity) and resolving queue notifications to the configured channels in the same
 * transaction; they are sent after it commits.
 */
@Service
public class Alerts {

    /** The most rows one page may hold. */
    public static final int MAX_PAGE_SIZE = 500;
    /** Keys handled per statement, so a caller's batch stays within every database's parameter limits. */
    private static final int CHUNK = 1000;

    private final AlertStore store;
    private final NotificationOutbox notifications;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Alerts(AlertStore store, NotificationOutbox notifications, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.notifications = notifications;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Opens an alert, or brings the open one under {@code key} up to date.
     *
     * @return whether an alert was opened or the open one changed
     */
    @Transactional
    public boolean open(String key, String kind, AlertSeverity severity, String target, String title, String message) {
        return openAll(List.of(new AlertDraft(key, kind, severity, target, title, message, Map.of()))).any();
    }

    /**
     * Opens each draft's alert or updates the open one when it says something else; unchanged alerts are left
     * alone, so calling this again with the same drafts changes and audits nothing. A later draft for the same key
     * wins over an earlier one.
     */
    @Transactional
    public AlertChanges openAll(List<AlertDraft> drafts) {
        Map<String, AlertDraft> byKey = new LinkedHashMap<>();
        drafts.forEach(draft -> byKey.put(draft.key(), draft));
        Instant now = clock.instant();
        AlertChanges changes = AlertChanges.NONE;
        for (List<String> keys : chunks(byKey.keySet())) {
            Map<String, Alert> open = store.findOpen(keys);
            List<Alert> created = new ArrayList<>();
            List<Alert> updated = new ArrayList<>();
            for (String key : keys) {
                AlertDraft draft = byKey.get(key);
                Alert existing = open.get(key);
                if (existing == null) {
                    created.add(new Alert(Ids.random(), key, draft.kind(), draft.severity(), draft.target(),
                            draft.title(), draft.message(), draft.details(), AlertState.OPEN, now, now, null, null));
                } else if (draft.differsFrom(existing)) {
                    updated.add(new Alert(existing.id(), key, existing.kind(), draft.severity(), draft.target(),
                            draft.title(), draft.message(), draft.details(), AlertState.OPEN, existing.openedAt(), now,
                            null, null));
                }
            }
            store.insertOpen(created);
            store.update(updated);
            for (Alert alert : created) {
                audit("alert.opened", alert, Map.of());
            }
            for (Alert alert : updated) {
                audit("alert.updated", alert, Map.of("previousSeverity", open.get(alert.key()).severity().wire()));
            }
            notifications.enqueue(created, NotificationEvent.OPENED);
            notifications.enqueue(updated.stream()
                    .filter(alert -> alert.severity().compareTo(open.get(alert.key()).severity()) > 0).toList(),
                    NotificationEvent.UPDATED);
            changes = changes.plus(new AlertChanges(created.size(), updated.size(), 0));
        }
        return changes;
    }

    /** @return whether an open alert under {@code key} was resolved */
    @Transactional
    public boolean resolve(String key, String resolution) {
        return resolveAll(List.of(key), resolution).resolved() > 0;
    }

    /** Resolves the open alert of each key that has one; keys without one are skipped. */
    @Transactional
    public AlertChanges resolveAll(Collection<String> keys, String resolution) {
        Instant now = clock.instant();
        int resolved = 0;
        for (List<String> chunk : chunks(new LinkedHashSet<>(keys))) {
            List<Alert> done = new ArrayList<>();
            for (Alert alert : store.findOpen(chunk).values()) {
                if (store.resolve(alert, resolution, now)) {
                    resolved++;
                    done.add(new Alert(alert.id(), alert.key(), alert.kind(), alert.severity(), alert.target(),
                            alert.title(), alert.message(), alert.details(), AlertState.RESOLVED, alert.openedAt(), now,
                            now, resolution));
                    events.publishEvent(AuditRecord.of(clock, "alert.resolved", "alert:" + alert.id(), Outcome.SUCCESS,
                            Map.of("key", alert.key(), "kind", alert.kind(), "target", alert.target(),
                                    "resolution", resolution)));
                }
            }
            notifications.enqueue(done, NotificationEvent.RESOLVED);
        }
        return new AlertChanges(0, 0, resolved);
    }

    public Optional<Alert> find(String id) {
        return store.find(id);
    }

    /**
     * Newest first.
     *
     * @param state {@code null} for both
     * @param kind {@code null} for every kind
     * @param page zero-based
     */
    public AlertPage list(@Nullable AlertState state, @Nullable String kind, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page must be 0 or more and size 1 to " + MAX_PAGE_SIZE);
        }
        long total = store.count(state, kind);
        List<Alert> items = (long) page * size >= total ? List.of() : store.page(state, kind, (long) page * size, size);
        return new AlertPage(items, total, page, size);
    }

    private void audit(String action, Alert alert, Map<String, String> extra) {
        Map<String, String> details = new LinkedHashMap<>(extra);
        details.put("key", alert.key());
        details.put("kind", alert.kind());
        details.put("severity", alert.severity().wire());
        details.put("target", alert.target());
        events.publishEvent(AuditRecord.of(clock, action, "alert:" + alert.id(), Outcome.SUCCESS, details));
    }

    private static List<List<String>> chunks(Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            chunks.add(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
        return chunks;
    }
}
