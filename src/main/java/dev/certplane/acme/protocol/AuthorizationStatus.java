package dev.certplane.acme.protocol;

import java.time.Instant;
import java.util.Locale;

/** Authorization states of RFC 8555 7.1.6. */
public enum AuthorizationStatus {
    PENDING, VALID, INVALID, DEACTIVATED, EXPIRED, REVOKED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AuthorizationStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** The status as of {@code now}: a pending or valid authorization past its expiry is {@code expired}. */
    public AuthorizationStatus asOf(Instant expires, Instant now) {
        if ((this == PENDING || this == VALID) && !now.isBefore(expires)) {
            return EXPIRED;
        }
        return this;
    }
}
