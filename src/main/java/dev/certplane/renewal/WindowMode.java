package dev.certplane.renewal;

import java.util.Arrays;
import java.util.Locale;

/**
 * When a certificate enters its renewal window: {@code days} before expiry ({@code renewBeforeDays}), at the start
 * of the CA's suggested window (RFC 9773 4.2) when the CA gave one, or when a third of its lifetime remains.
 */
public enum WindowMode {
    DAYS, ARI, LIFETIME;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WindowMode parse(String text) {
        return Arrays.stream(values()).filter(m -> m.wire().equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("window must be one of days, ari, lifetime (got '"
                        + text + "')"));
    }
}
