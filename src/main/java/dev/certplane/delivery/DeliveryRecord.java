package dev.certplane.delivery;

import java.time.Instant;

import dev.certplane.delivery.spi.DeliveryConfirmation;

import org.jspecify.annotations.Nullable;

/**
 * One fetch of a managed certificate's version by an edge client.
 *
 * @param confirmation whether the endpoints that should serve the version were seen serving it; {@code null} when
 *     the certificate is not a version or no probe target expects the managed certificate
 */
public record DeliveryRecord(String id, String managedCertificateId, String tokenId, String keyId, String tokenName,
        String accountId, @Nullable Integer version, String fingerprintSha256, String clientIp,
        @Nullable String userAgent, Instant deliveredAt, @Nullable DeliveryConfirmation confirmation) {
}
