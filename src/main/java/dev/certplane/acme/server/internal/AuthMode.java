package dev.certplane.acme.server.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a profile decides who may have a certificate for a name. */
enum AuthMode {
    /** Any registered account may order names the profile allows; authorizations are valid at once. */
    TRUST_AUTHENTICATED,
    /** Every identifier must be proven with an HTTP-01, DNS-01 or TLS-ALPN-01 challenge. */
    CHALLENGE,
    /** Accounts must be bound to a certificate token (EAB) and may order only that token's names. */
    TOKEN;

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    static AuthMode parse(String text) {
        for (AuthMode mode : values()) {
            if (mode.configName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown auth mode '" + text + "'; use one of "
                + Arrays.stream(values()).map(AuthMode::configName).collect(Collectors.joining(", ")));
    }
}
