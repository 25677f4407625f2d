package dev.certplane.alerts;

import java.util.Map;
import java.util.Objects;

/**
 * What a feature wants open under one deduplication key.
 *
 * @param key identifies the condition, such as {@code certificate-expiry:<certificate id>}; at most one alert
 *     per key is open
 * @param kind the family of conditions, such as {@code certificate_expiry}
 * @param target what the alert is about, {@code type:id}, such as {@code certificate:<id>}
 * @param details machine-readable facts for the UI and scripts, such as the certificate's notAfter
 */
public record AlertDraft(String key, String kind, AlertSeverity severity, String target, String title, String message,
        Map<String, String> details) {

    public AlertDraft {
        Objects.requireNonNull(key, "key");
        details = Map.copyOf(details);
    }

    /** Whether the open alert says something other than this draft, so it needs an update. */
    public boolean differsFrom(Alert open) {
        return severity != open.severity() || !title.equals(open.title()) || !message.equals(open.message())
                || !target.equals(open.target()) || !details.equals(open.details());
    }
}
