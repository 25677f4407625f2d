package dev.certplane.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One entry of the audit log as read back, with its place in the hash chain. */
public record AuditEvent(long seq, UUID eventId, Instant occurredAt, Instant recordedAt, String actor,
        String sourceIp, String action, String target, String outcome, Map<String, String> details,
        String prevHash, String hash) {
}
