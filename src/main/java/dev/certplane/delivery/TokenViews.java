package dev.certplane.delivery;

import java.time.Instant;

import dev.certplane.delivery.internal.store.TokenStore.TokenRow;

import org.jspecify.annotations.Nullable;

/** A token's state as of an instant, and why it can no longer be used: one rule for operators and ACME. */
final class TokenViews {

    private TokenViews() {
    }

    static String state(TokenRow row, Instant now) {
        if (row.revokedAt() != null) {
            return "revoked";
        }
        return row.expiresAt() != null && !row.expiresAt().isAfter(now) ? "expired" : "active";
    }

    static @Nullable String refusal(TokenRow row, Instant now) {
        return refusal(row.keyId(), row.revokedAt(), row.expiresAt(), now);
    }

    static @Nullable String refusal(String keyId, @Nullable Instant revokedAt, @Nullable Instant expiresAt,
            Instant now) {
        if (revokedAt != null) {
            return "certificate token " + keyId + " was revoked at " + revokedAt;
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return "certificate token " + keyId + " expired at " + expiresAt;
        }
        return null;
    }

    static CertificateToken view(TokenRow row, Instant now) {
        return new CertificateToken(row.id(), row.keyId(), row.type(), row.managedCertificateId(), row.name(),
                state(row, now), row.maxAccounts(), row.boundAccounts(), row.createdBy(), row.createdAt(),
                row.expiresAt(), row.rotatedAt(), row.revokedAt(), row.revokedBy());
    }
}
