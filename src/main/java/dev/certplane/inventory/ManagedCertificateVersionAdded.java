package dev.certplane.inventory;

/**
 * Published in the transaction that records a managed certificate's new version, so that what follows an issuance
 * (probing the endpoints that should now serve it) runs after it commits, through the event outbox.
 */
public record ManagedCertificateVersionAdded(String managedCertificateId, int version, String certificateId,
        String fingerprintSha256) {
}
