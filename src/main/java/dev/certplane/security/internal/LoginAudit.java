package dev.certplane.security.internal;

import java.time.Clock;
import java.util.Map;

import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Audits successful interactive (form) logins. HTTP Basic successes are not audited one by one: scripts
 * authenticate on every request, and their failures are audited by {@link LoginThrottle}.
 */
@Component
class LoginAudit {

    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;

    LoginAudit(ApplicationEventPublisher events, TransactionTemplate tx, Clock clock) {
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    @EventListener
    void on(InteractiveAuthenticationSuccessEvent success) {
        String username = success.getAuthentication().getName();
        tx.executeWithoutResult(s -> events.publishEvent(AuditRecord.of(clock, "auth.login", "user:" + username,
                Outcome.SUCCESS, Map.of("method", "form")).by(username)));
    }
}
