package dev.certplane.acme.server.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a profile decides who may have a certificate for a name. */
enum AuthMode {
    /** Any registered account may order names the profile allows; authorizations are valid at once. */
    TRUST_AUTHENTICATED(true),
    /** Every identifier must be proven with an HTTP-01, DNS-01 or TLS-ALPN-01 challenge. */
    CHALLENGE(false),
    /** Accounts must be bound to a certificate token (EAB) and may order only that token's names. */
    TOKEN(true);

    private final boolean available;

    AuthMode(boolean available) {
        this.available = available;
    }

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean available() {
        return available;
    }

    /** @throws IllegalArgumentException naming the accepted values, or saying the mode is not built yet */
    static AuthMode parse(String text) {
        for (AuthMode mode : values()) {
            if (mode.configName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                if (!mode.available) {
                    throw new IllegalArgumentException("auth mode '" + mode.configName()
                            + "' is not available in this version of Certplane; use one of " + availableNames());
                }
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown auth mode '" + text + "'; use one of " + availableNames());
    }

    private static String availableNames() {
        return Arrays.stream(values()).filter(AuthMode::available).map(AuthMode::configName)
                .collect(Collectors.joining(", "));
    }
}
