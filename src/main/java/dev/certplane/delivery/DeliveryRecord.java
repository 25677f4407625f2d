package dev.certplane.delivery;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** One fetch of a managed certificate's version by an edge client. */
public record DeliveryRecord(String id, String managedCertificateId, String tokenId, String keyId, String tokenName,
        String accountId, @Nullable Integer version, String fingerprintSha256, String clientIp,
        @Nullable String userAgent, Instant deliveredAt) {
}
