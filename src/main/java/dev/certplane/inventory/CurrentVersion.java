package dev.certplane.inventory;

/** A managed certificate with the version it serves now. */
public record CurrentVersion(ManagedCertificate certificate, CertificateVersion version) {
}
