package dev.certplane.acme.server.internal;

import org.jspecify.annotations.Nullable;

/** Where an ACME request came from, for the audit trail. */
record ClientInfo(String ip, @Nullable String userAgent) {
}
