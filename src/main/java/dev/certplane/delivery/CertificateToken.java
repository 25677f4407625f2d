package dev.certplane.delivery;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A certificate token as operators see it: never its HMAC key.
 *
 * @param state {@code active}, {@code expired} or {@code revoked}
 * @param maxAccounts how many ACME accounts may bind to it; {@code null} for no limit
 * @param boundAccounts accounts bound to it and not cut off by a rotation
 */
public record CertificateToken(String id, String keyId, String type, String managedCertificateId, String name,
        String state, @Nullable Integer maxAccounts, int boundAccounts, String createdBy, Instant createdAt,
        @Nullable Instant expiresAt, @Nullable Instant rotatedAt, @Nullable Instant revokedAt,
        @Nullable String revokedBy) {
}
