package dev.certplane.alerts.internal.notify;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.certplane.alerts.Alert;
import dev.certplane.alerts.internal.store.NotificationChannelStore;
import dev.certplane.alerts.internal.store.NotificationStore;
import dev.certplane.alerts.internal.store.NotificationStore.NotificationRow;
import dev.certplane.secrets.SecretUnreadableException;
import dev.certplane.shared.Ids;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import tools.jackson.databind.json.JsonMapper;

/**
 * Queues notifications in the caller's transaction: one row per alert and enabled channel that wants it, so the
 * notifications commit or roll back with the alert change, and sending never holds that transaction up. After
 * the commit the sender is woken.
 */
@Component
public class NotificationOutbox {

    private static final Logger log = LoggerFactory.getLogger(NotificationOutbox.class);

    private final NotificationChannelStore channels;
    private final NotificationStore notifications;
    private final ChannelRows rows;
    private final Payloads payloads;
    private final NotificationSender sender;
    private final Clock clock;

    NotificationOutbox(NotificationChannelStore channels, NotificationStore notifications, ChannelRows rows,
            JsonMapper json, NotificationSender sender, Clock clock) {
        this.channels = channels;
        this.notifications = notifications;
        this.rows = rows;
        this.payloads = new Payloads(json);
        this.sender = sender;
        this.clock = clock;
    }

    /** Queues a notification of {@code event} for each alert to each enabled channel that wants it. */
    public void enqueue(List<Alert> alerts, NotificationEvent event) {
        if (alerts.isEmpty()) {
            return;
        }
        List<NotificationChannel> enabled = new ArrayList<>();
        for (var row : channels.enabled()) {
            try {
                enabled.add(rows.channel(row));
            } catch (SecretUnreadableException e) {
                log.warn("notification channel {} is skipped: its secrets cannot be opened", row.id());
            }
        }
        if (enabled.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<NotificationRow> queued = new ArrayList<>();
        for (Alert alert : alerts) {
            String snapshot = null;
            for (NotificationChannel channel : enabled) {
                if (channel.wants(alert)) {
                    snapshot = snapshot == null ? payloads.snapshot(alert) : snapshot;
                    queued.add(new NotificationRow(Ids.random(), channel.id(), alert.id(), event.wire(), snapshot,
                            "pending", 0, now, null, now, null));
                }
            }
        }
        notifications.insert(queued);
        if (queued.isEmpty()) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    sender.kick();
                }
            });
        } else {
            sender.kick();
        }
    }
}
