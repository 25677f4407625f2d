package dev.certplane.ca;

import java.time.Instant;

/** A certificate of the built-in CA as shown to operators (never with its key). */
public record CaCertificate(String id, String role, String subject, String keyType, String source, Instant notBefore,
        Instant notAfter, String sha256Fingerprint, String certificatePem) {
}
