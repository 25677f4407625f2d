package dev.certplane.inventory;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import org.jspecify.annotations.Nullable;

/** Where a certificate stands, from the days until {@code notAfter} and the configured thresholds. */
public enum CertificateStatus {
    VALID, EXPIRING_SOON, EXPIRING, EXPIRED, REVOKED;

    public static CertificateStatus of(Instant notAfter, @Nullable Instant revokedAt, Instant now,
            int expiringSoonDays, int expiringDays) {
        if (revokedAt != null) {
            return REVOKED;
        }
        if (notAfter.isBefore(now)) {
            return EXPIRED;
        }
        Duration left = Duration.between(now, notAfter);
        if (left.compareTo(Duration.ofDays(expiringDays)) <= 0) {
            return EXPIRING;
        }
        return left.compareTo(Duration.ofDays(expiringSoonDays)) <= 0 ? EXPIRING_SOON : VALID;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static CertificateStatus parse(String text) {
        for (CertificateStatus status : values()) {
            if (status.wire().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown status '" + text + "'; use valid, expiring_soon, expiring, expired"
                + " or revoked");
    }
}
