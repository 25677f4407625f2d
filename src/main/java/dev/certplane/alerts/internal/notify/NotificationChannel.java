package dev.certplane.alerts.internal.notify;

import java.time.Instant;
import java.util.List;

import dev.certplane.alerts.Alert;
import dev.certplane.alerts.AlertSeverity;

import org.jspecify.annotations.Nullable;

/**
 * A channel as shown: its secrets never are, only whether they are set.
 *
 * @param endpoint webhook and slack: the URL's scheme, host and port (the rest may be a secret)
 * @param email email channels' server and addresses, null for the other types
 */
public record NotificationChannel(String id, String name, String type, boolean enabled, AlertSeverity minSeverity,
        List<String> kinds, @Nullable String endpoint, @Nullable EmailSettings email, boolean urlSet,
        boolean signingSecretSet, boolean passwordSet, Instant createdAt, Instant updatedAt) {

    public NotificationChannel {
        kinds = List.copyOf(kinds);
    }

    /** Whether this channel wants to hear about the alert: severe enough, and of one of its kinds if it names any. */
    public boolean wants(Alert alert) {
        return enabled && alert.severity().compareTo(minSeverity) >= 0
                && (kinds.isEmpty() || kinds.contains(alert.kind()));
    }
}
