package dev.certplane.acme.server.internal;

import java.time.Instant;
import java.util.List;

import dev.certplane.acme.protocol.Jwk;

/** A registered ACME account, as loaded for a request. */
record Account(String id, String profile, String status, Jwk key, List<String> contact, boolean tosAgreed,
        Instant createdAt) {

    boolean isValid() {
        return status.equals("valid");
    }
}
