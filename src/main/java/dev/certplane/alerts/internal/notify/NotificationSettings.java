package dev.certplane.alerts.internal.notify;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certplane.alerts.notifications.*}: how alert notifications are delivered.
 *
 * @param pollInterval how often the sender looks for due notifications (each commit that queues some also wakes it)
 * @param retryDelays the wait after each failed attempt; once they are used up the notification fails, so the
 *     number of attempts is one more than the number of delays
 * @param timeout the connect and the read timeout of one attempt
 */
@ConfigurationProperties("certplane.alerts.notifications")
public record NotificationSettings(@DefaultValue("5s") Duration pollInterval,
        @Nullable List<Duration> retryDelays, @DefaultValue("10s") Duration timeout) {

    public NotificationSettings {
        retryDelays = retryDelays == null
                ? List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2))
                : List.copyOf(retryDelays);
        if (pollInterval.isNegative() || pollInterval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "certplane.alerts.notifications.poll-interval and .timeout must be positive durations");
        }
        if (retryDelays.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("certplane.alerts.notifications.retry-delays must be positive durations");
        }
    }

    /** How often a notification is tried before it fails. */
    public int maxAttempts() {
        return retryDelays.size() + 1;
    }
}
