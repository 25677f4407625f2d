package dev.certplane.alerts.internal.notify;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.certplane.alerts.Alert;
import dev.certplane.alerts.internal.store.NotificationChannelStore;
import dev.certplane.alerts.internal.store.NotificationChannelStore.ChannelRow;
import dev.certplane.alerts.internal.store.NotificationStore;
import dev.certplane.alerts.internal.store.NotificationStore.NotificationRow;
import dev.certplane.secrets.SecretUnreadableException;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * Sends due notifications: claims each by compare-and-set (so of several replicas one sends it), renders it for
 * its channel, sends it and records the outcome. A failed attempt is tried again after the next of the configured
 * delays, unless the failure cannot pass (a 4xx answer, a 5xx SMTP reply) or the attempts are used up; then the
 * notification fails with the error, and that is audited. Runs from the recurring task and, for low latency, right
 * after a transaction that queued notifications commits.
 */
@Component
public class NotificationSender implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(NotificationSender.class);
    private static final int BATCH = 50;

    private final NotificationStore notifications;
    private final NotificationChannelStore channels;
    private final ChannelRows rows;
    private final Payloads payloads;
    private final WebhookSender webhooks;
    private final SmtpSender smtp;
    private final NotificationSettings settings;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final ThreadPoolExecutor kicks = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1), runnable -> {
                Thread thread = new Thread(runnable, "alert-notifications");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardPolicy());

    NotificationSender(NotificationStore notifications, NotificationChannelStore channels, ChannelRows rows,
            JsonMapper json, WebhookSender webhooks, SmtpSender smtp, NotificationSettings settings,
            ApplicationEventPublisher events, PlatformTransactionManager transactions, Clock clock) {
        this.notifications = notifications;
        this.channels = channels;
        this.rows = rows;
        this.payloads = new Payloads(json);
        this.webhooks = webhooks;
        this.smtp = smtp;
        this.settings = settings;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Starts a run soon on this replica's own thread; a run already waiting makes this one unnecessary. */
    public void kick() {
        kicks.execute(this::runDueQuietly);
    }

    /** Sends every due notification. */
    public void runDue() {
        for (int round = 0; round < 20; round++) {
            List<String> due = notifications.due(clock.instant(), BATCH);
            for (String id : due) {
                String token = Ids.random();
                Instant now = clock.instant();
                Optional<NotificationRow> claimed = notifications.claim(id, token, now, now.plus(lease()));
                claimed.ifPresent(row -> attempt(row, token));
            }
            if (due.size() < BATCH) {
                return;
            }
        }
    }

    /** Delivers one notification now, without recording anything: the attempts of the sender and of tests. */
    void deliver(NotificationChannel channel, ChannelSecrets secrets, NotificationEvent event, Alert alert,
            String notificationId, boolean test) throws DeliveryFailure {
        switch (channel.type()) {
            case "webhook" -> {
                String body = payloads.webhook(event, alert, notificationId, test);
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("X-Certplane-Event", event.wire());
                headers.put("X-Certplane-Notification", notificationId);
                if (secrets.signingSecret() != null) {
                    headers.put("X-Certplane-Signature",
                            Payloads.signature(secrets.signingSecret(), body.getBytes(StandardCharsets.UTF_8)));
                }
                webhooks.post(url(channel, secrets), String.valueOf(channel.endpoint()), body, headers);
            }
            case "slack" -> webhooks.post(url(channel, secrets), String.valueOf(channel.endpoint()),
                    payloads.slack(event, alert, test), Map.of());
            case "email" -> {
                EmailSettings email = channel.email();
                if (email == null) {
                    throw new DeliveryFailure("the channel has no e-mail settings", false, 0);
                }
                smtp.send(email, secrets.password(), Payloads.email(event, alert, test, email,
                        notificationId + "@certplane", clock.instant()));
            }
            default -> throw new DeliveryFailure("unknown channel type " + channel.type(), false, 0);
        }
    }

    private static String url(NotificationChannel channel, ChannelSecrets secrets) throws DeliveryFailure {
        if (secrets.url() == null) {
            throw new DeliveryFailure("the channel has no URL", false, 0);
        }
        return secrets.url();
    }

    private void attempt(NotificationRow row, String token) {
        Optional<ChannelRow> stored = channels.find(row.channelId());
        if (stored.isEmpty()) {
            return; // deleted meanwhile: its notifications went with it
        }
        DeliveryFailure failure;
        try {
            NotificationChannel channel = rows.channel(stored.get());
            if (!channel.enabled()) {
                throw new DeliveryFailure("the channel was disabled before the notification was sent", false, 0);
            }
            deliver(channel, rows.open(stored.get()), NotificationEvent.parse(row.event()),
                    payloads.alert(row.alert()), row.id(), false);
            notifications.sent(row.id(), token, clock.instant());
            return;
        } catch (DeliveryFailure e) {
            failure = e;
        } catch (SecretUnreadableException e) {
            failure = new DeliveryFailure("the channel's secrets cannot be opened with this master key", false, 0);
        } catch (RuntimeException e) {
            log.warn("notification {} could not be sent", row.id(), e);
            failure = new DeliveryFailure("internal error: " + e.getClass().getSimpleName(), true, 0);
        }
        Instant now = clock.instant();
        String error = "attempt " + row.attempts() + ": " + failure.getMessage();
        if (failure.retryable() && row.attempts() < settings.maxAttempts()) {
            notifications.retry(row.id(), token, now.plus(settings.retryDelays().get(row.attempts() - 1)), error);
            return;
        }
        DeliveryFailure last = failure;
        transaction.executeWithoutResult(status -> {
            if (notifications.failed(row.id(), token, now, error)) {
                Map<String, String> details = new LinkedHashMap<>();
                details.put("channel", stored.get().name());
                details.put("alert", row.alertId());
                details.put("event", row.event());
                details.put("attempts", String.valueOf(row.attempts()));
                details.put("error", last.getMessage());
                events.publishEvent(AuditRecord.of(clock, "alert-notification.failed", "alert-notification:"
                        + row.id(), Outcome.FAILURE, details));
            }
        });
    }

    /** Long enough for one attempt with every step at its timeout; a sender gone longer loses its claim. */
    private Duration lease() {
        return Duration.ofMinutes(2).plus(settings.timeout().multipliedBy(12));
    }

    private void runDueQuietly() {
        try {
            runDue();
        } catch (RuntimeException e) {
            log.warn("sending alert notifications failed; the recurring task tries again", e);
        }
    }

    @Override
    public void destroy() {
        kicks.shutdownNow();
    }
}
