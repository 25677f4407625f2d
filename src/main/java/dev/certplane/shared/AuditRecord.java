package dev.certplane.shared;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A security-relevant fact, published as an application event inside the transaction that made the
 * change. The event publication registry stores it with that transaction (our outbox) and the audit
 * module appends it to the hash-chained log after commit; {@code id} makes that append idempotent.
 *
 * @param action dotted verb such as {@code api-token.created}
 * @param target what was acted on, {@code type:id}
 */
public record AuditRecord(UUID id, Instant occurredAt, String actor, String sourceIp, String action,
        String target, Outcome outcome, Map<String, String> details) {

    public AuditRecord {
        details = Map.copyOf(details);
    }

    /** A record for the current request's actor and address (or {@code system} outside a request). */
    public static AuditRecord of(Clock clock, String action, String target, Outcome outcome,
            Map<String, String> details) {
        RequestOrigin origin = RequestOrigin.current();
        return new AuditRecord(UUID.randomUUID(), clock.instant(), origin.actor(), origin.sourceIp(), action,
                target, outcome, new TreeMap<>(details));
    }

    /** The same record attributed to someone other than the authenticated principal (a failed login). */
    public AuditRecord by(String otherActor) {
        return new AuditRecord(id, occurredAt, otherActor, sourceIp, action, target, outcome, details);
    }
}
