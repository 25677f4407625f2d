package dev.certplane.alerts.internal.notify;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.alerts.Alert;
import dev.certplane.alerts.AlertSeverity;
import dev.certplane.alerts.AlertState;
import dev.certplane.alerts.internal.store.NotificationChannelStore;
import dev.certplane.alerts.internal.store.NotificationChannelStore.ChannelRow;
import dev.certplane.alerts.internal.store.NotificationStore;
import dev.certplane.alerts.internal.store.NotificationStore.NotificationRow;
import dev.certplane.secrets.SecretUnreadableException;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.json.JsonMapper;

/**
 * The notification channels operators configure: created, replaced and deleted with an audit record in the same
 * transaction (never with a secret in it), tried on demand, and their delivery history.
 */
@Service
public class NotificationChannels {

    public static final int MAX_DELIVERIES = 500;

    private final NotificationChannelStore store;
    private final NotificationStore notifications;
    private final ChannelRows rows;
    private final Payloads payloads;
    private final NotificationSender sender;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    NotificationChannels(NotificationChannelStore store, NotificationStore notifications, ChannelRows rows,
            JsonMapper json, NotificationSender sender, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.notifications = notifications;
        this.rows = rows;
        this.payloads = new Payloads(json);
        this.sender = sender;
        this.events = events;
        this.clock = clock;
    }

    /** A channel's name is taken by another one. */
    public static final class NameTakenException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        NameTakenException(String name) {
            super("a notification channel named '" + name + "' exists");
        }
    }

    /** One notification as the history shows it, with what the alert said at the event. */
    public record Delivery(String id, String channelId, String event, String state, int attempts,
            @Nullable Instant nextAttemptAt, @Nullable String lastError, Instant createdAt, @Nullable Instant finishedAt,
            Alert alert) {
    }

    /** How a test notification went; {@code error} and {@code remoteStatus} (0: none) when it failed. */
    public record TestResult(boolean delivered, @Nullable String error, int remoteStatus) {
    }

    public List<NotificationChannel> list() {
        return store.all().stream().map(rows::channel).toList();
    }

    public Optional<NotificationChannel> find(String id) {
        return store.find(id).map(rows::channel);
    }

    /** @throws IllegalArgumentException naming the field that is wrong; {@link NameTakenException} */
    @Transactional
    public NotificationChannel create(ChannelInput input) {
        ChannelValidation.Valid valid = ChannelValidation.validate(input, ChannelSecrets.NONE);
        if (store.nameTaken(valid.name(), null)) {
            throw new NameTakenException(valid.name());
        }
        String id = Ids.random();
        Instant now = clock.instant();
        ChannelRow row = row(id, valid, now, now);
        try {
            store.insert(row);
        } catch (DuplicateKeyException e) {
            throw new NameTakenException(valid.name());
        }
        audit("alert-notification-channel.created", id, valid, Outcome.SUCCESS);
        return rows.channel(row);
    }

    /**
     * Replaces a channel's settings; secrets left out keep their values. The type cannot change.
     *
     * @return empty if there is no such channel
     */
    @Transactional
    public Optional<NotificationChannel> update(String id, ChannelInput input) {
        Optional<ChannelRow> existing = store.find(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        ChannelRow old = existing.get();
        if (input.type() != null && !input.type().isBlank() && !input.type().trim().equals(old.type())) {
            throw new IllegalArgumentException("type cannot change from " + old.type() + " to '" + input.type().trim()
                    + "'; create a new channel instead");
        }
        ChannelInput typed = new ChannelInput(input.name(), old.type(), input.enabled(), input.minSeverity(),
                input.kinds(), input.url(), input.signingSecret(), input.host(), input.port(), input.security(),
                input.username(), input.password(), input.from(), input.to());
        ChannelSecrets stored;
        try {
            stored = rows.open(old);
        } catch (SecretUnreadableException e) {
            stored = ChannelSecrets.NONE;
        }
        ChannelValidation.Valid valid = ChannelValidation.validate(typed, stored);
        if (store.nameTaken(valid.name(), id)) {
            throw new NameTakenException(valid.name());
        }
        ChannelRow row = row(id, valid, old.createdAt(), clock.instant());
        try {
            store.update(row);
        } catch (DuplicateKeyException e) {
            throw new NameTakenException(valid.name());
        }
        audit("alert-notification-channel.updated", id, valid, Outcome.SUCCESS);
        return Optional.of(rows.channel(row));
    }

    /** Deletes a channel with its delivery history. */
    @Transactional
    public boolean delete(String id) {
        Optional<ChannelRow> existing = store.find(id);
        if (existing.isEmpty() || !store.delete(id)) {
            return false;
        }
        events.publishEvent(AuditRecord.of(clock, "alert-notification-channel.deleted",
                "alert-notification-channel:" + id, Outcome.SUCCESS,
                Map.of("name", existing.get().name(), "type", existing.get().type())));
        return true;
    }

    /**
     * Sends a made-up alert through the channel now, whether it is enabled or not and whatever its filters, and
     * audits the outcome.
     *
     * @return empty if there is no such channel
     */
    public Optional<TestResult> test(String id) {
        Optional<ChannelRow> stored = store.find(id);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        NotificationChannel channel = rows.channel(stored.get());
        Instant now = clock.instant();
        Alert sample = new Alert("test-" + Ids.random().substring(0, 8), "notification-test:" + id,
                "notification_test", AlertSeverity.INFO, "alert-notification-channel:" + id,
                "Test notification from Certplane",
                "This is a test of the notification channel '" + channel.name() + "'. No action is needed.", Map.of(),
                AlertState.OPEN, now, now, null, null);
        TestResult result;
        try {
            sender.deliver(channel, rows.open(stored.get()), NotificationEvent.OPENED, sample, Ids.random(), true);
            result = new TestResult(true, null, 0);
        } catch (DeliveryFailure e) {
            result = new TestResult(false, e.getMessage(), e.remoteStatus());
        } catch (SecretUnreadableException e) {
            result = new TestResult(false, "the channel's secrets cannot be opened with this master key", 0);
        }
        Map<String, String> details = new LinkedHashMap<>(Map.of("name", channel.name(), "type", channel.type()));
        if (result.error() != null) {
            details.put("error", result.error());
        }
        events.publishEvent(AuditRecord.of(clock, "alert-notification-channel.tested",
                "alert-notification-channel:" + id, result.delivered() ? Outcome.SUCCESS : Outcome.FAILURE, details));
        return Optional.of(result);
    }

    /** The channel's notifications, newest first; empty if there is no such channel. */
    public Optional<List<Delivery>> deliveries(String id, int limit) {
        if (limit < 1 || limit > MAX_DELIVERIES) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_DELIVERIES);
        }
        if (store.find(id).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(notifications.ofChannel(id, limit).stream().map(this::delivery).toList());
    }

    private Delivery delivery(NotificationRow row) {
        return new Delivery(row.id(), row.channelId(), row.event(), row.state(), row.attempts(),
                row.state().equals("pending") ? row.nextAttemptAt() : null, row.lastError(), row.createdAt(),
                row.finishedAt(), payloads.alert(row.alert()));
    }

    private ChannelRow row(String id, ChannelValidation.Valid valid, Instant created, Instant updated) {
        return new ChannelRow(id, valid.name(), valid.type(), valid.enabled(), valid.minSeverity().wire(),
                rows.kinds(valid.kinds()), valid.endpoint(), rows.settings(valid.email()),
                rows.seal(id, valid.secrets()), created, updated);
    }

    /** What changed, never a secret: names the secrets that were set, not their values. */
    private void audit(String action, String id, ChannelValidation.Valid valid, Outcome outcome) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("name", valid.name());
        details.put("type", valid.type());
        details.put("enabled", String.valueOf(valid.enabled()));
        details.put("minSeverity", valid.minSeverity().wire());
        details.put("kinds", String.join(",", valid.kinds()));
        if (valid.endpoint() != null) {
            details.put("endpoint", valid.endpoint());
        }
        if (valid.email() != null) {
            details.put("server", valid.email().host() + ":" + valid.email().port());
            details.put("security", valid.email().security());
            details.put("from", valid.email().from());
            details.put("to", String.join(",", valid.email().to()));
        }
        if (!valid.secretsChanged().isEmpty()) {
            details.put("secretsChanged", String.join(",", valid.secretsChanged()));
        }
        events.publishEvent(AuditRecord.of(clock, action, "alert-notification-channel:" + id, outcome, details));
    }
}
