package dev.certplane.handshake;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** What happens on the TCP connection before the TLS handshake. */
public enum Starttls {
    /** The handshake starts at once (HTTPS, SMTPS, any TLS port). */
    NONE,
    /** SMTP: greeting, {@code EHLO}, {@code STARTTLS} (RFC 3207), then the handshake. */
    SMTP;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text {@code none}, {@code smtp}, or {@code null} / blank for none
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Starttls parse(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        for (Starttls value : values()) {
            if (value.wire().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw new IllegalArgumentException("starttls '" + text + "' is not supported; use smtp, or none for TLS from the"
                + " first byte");
    }
}
