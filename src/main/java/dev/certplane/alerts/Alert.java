package dev.certplane.alerts;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** One alert; {@code resolvedAt} and {@code resolution} are set once it is resolved. */
public record Alert(String id, String key, String kind, AlertSeverity severity, String target, String title,
        String message, Map<String, String> details, AlertState state, Instant openedAt, Instant updatedAt,
        @Nullable Instant resolvedAt, @Nullable String resolution) {

    public Alert {
        details = Map.copyOf(details);
    }
}
