package dev.certplane.alerts.internal.notify;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A channel as an operator describes it, to create or to replace one. Only the fields of its type may be set.
 * On replacement a secret left out ({@code url}, {@code signingSecret}, {@code password}) keeps its stored value,
 * and an empty {@code signingSecret} or {@code password} removes it.
 *
 * @param url webhook and slack: where to POST; sealed, since such URLs often carry a token
 * @param signingSecret webhook: the key of the {@code X-Certplane-Signature} HMAC-SHA256 over the body
 * @param security email: {@code none}, {@code starttls} (the default) or {@code tls}
 */
public record ChannelInput(@Nullable String name, @Nullable String type, @Nullable Boolean enabled,
        @Nullable String minSeverity, @Nullable List<String> kinds, @Nullable String url,
        @Nullable String signingSecret, @Nullable String host, @Nullable Integer port, @Nullable String security,
        @Nullable String username, @Nullable String password, @Nullable String from, @Nullable List<String> to) {
}
