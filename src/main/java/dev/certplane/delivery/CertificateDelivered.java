package dev.certplane.delivery;

import java.time.Instant;

/**
 * Published in the transaction that records an edge client's download of a managed certificate's version, so that
 * confirming the endpoints serve it runs after the download commits and never slows the ACME request.
 */
public record CertificateDelivered(String deliveryId, String managedCertificateId, int version,
        String fingerprintSha256, Instant deliveredAt) {
}
