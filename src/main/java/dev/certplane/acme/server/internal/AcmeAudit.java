package dev.certplane.acme.server.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Audit events of the ACME surface, attributed to the account and carrying the client's address and user
 * agent. Published inside the caller's transaction, so the event commits with the change (outbox).
 */
@Component
class AcmeAudit {

    private final ApplicationEventPublisher events;
    private final Clock clock;

    AcmeAudit(ApplicationEventPublisher events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    void record(String action, String target, Outcome outcome, @Nullable String accountId, ClientInfo client,
            Map<String, String> details) {
        Map<String, String> all = new HashMap<>(details);
        all.put("clientIp", client.ip());
        if (client.userAgent() != null) {
            all.put("userAgent", client.userAgent());
        }
        if (accountId != null) {
            all.put("account", accountId);
        }
        AuditRecord record = AuditRecord.of(clock, action, target, outcome, all);
        events.publishEvent(accountId == null ? record : record.by("acme-account:" + accountId));
    }

    /** An event of work the server does on its own for an account, such as validating a challenge. */
    void recordForAccount(String action, String target, Outcome outcome, String accountId, Map<String, String> details) {
        Map<String, String> all = new HashMap<>(details);
        all.put("account", accountId);
        events.publishEvent(AuditRecord.of(clock, action, target, outcome, all));
    }
}
