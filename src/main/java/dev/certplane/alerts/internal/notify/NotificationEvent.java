package dev.certplane.alerts.internal.notify;

import java.util.Locale;

/** What happened to an alert that channels hear about: it opened, its severity rose, or it was resolved. */
public enum NotificationEvent {
    OPENED, UPDATED, RESOLVED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NotificationEvent parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
