package dev.certplane.alerts.internal.notify;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** The SMTP server and the addresses of an email channel; the password is kept apart, sealed. */
public record EmailSettings(String host, int port, String security, @Nullable String username, String from,
        List<String> to) {

    public EmailSettings {
        to = List.copyOf(to);
    }
}
