package dev.certplane.alerts.internal.notify;

import org.jspecify.annotations.Nullable;

/** What a channel keeps sealed: the destination URL (webhook, slack), the signing secret, the SMTP password. */
public record ChannelSecrets(@Nullable String url, @Nullable String signingSecret, @Nullable String password) {

    public static final ChannelSecrets NONE = new ChannelSecrets(null, null, null);

    @Override
    public String toString() {
        return "ChannelSecrets[sealed]";
    }
}
