package dev.certplane.audit;

import java.time.Instant;

/**
 * Filters for searching the audit log; null means "any". Text filters match case-insensitively:
 * {@code action} and {@code actor} exactly, {@code target} as a substring.
 */
public record AuditQuery(String actor, String action, String target, String outcome, Instant from, Instant to,
        int page, int size) {
}
