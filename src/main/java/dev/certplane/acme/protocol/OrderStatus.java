package dev.certplane.acme.protocol;

import java.util.Locale;

/** Order states of RFC 8555 7.1.6. */
public enum OrderStatus {
    PENDING, READY, PROCESSING, VALID, INVALID;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
