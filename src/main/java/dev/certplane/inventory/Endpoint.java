package dev.certplane.inventory;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** Where a certificate was seen served, by which source, and since when it no longer is. */
public record Endpoint(String host, int port, String sni, String source, Instant firstSeen, Instant lastSeen,
        @Nullable Instant staleSince) {
}
