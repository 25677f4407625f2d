package dev.certplane.security.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.certplane.security.internal.store.LoginFailureStore;
import dev.certplane.security.internal.store.LoginFailureStore.Failures;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Slows password guessing: after {@code maxFailures} failed logins within {@code window}, the user name is
 * locked for {@code lockout}. Counted in the database so every replica sees the same count.
 */
@Component
class LoginThrottle {

    private final LoginFailureStore store;
    private final SecuritySettings settings;
    private final TransactionTemplate ownTransaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    LoginThrottle(LoginFailureStore store, SecuritySettings settings, PlatformTransactionManager transactions,
            ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.events = events;
        this.clock = clock;
    }

    /** The user name's recorded failures, read once per login attempt. */
    Optional<Failures> failures(String username) {
        return ownTransaction.execute(s -> store.find(username));
    }

    Optional<Instant> lockedUntil(Optional<Failures> failures) {
        Instant now = clock.instant();
        return failures.map(Failures::lockedUntil).filter(until -> until.isAfter(now));
    }

    /** Counts a failure and writes its audit event in the same transaction. */
    void failed(String username, String method, String reason) {
        try {
            ownTransaction.executeWithoutResult(s -> count(username, method, reason));
        } catch (DuplicateKeyException e) {
            // Two first failures raced to insert; the row exists now, so count this one against it.
            ownTransaction.executeWithoutResult(s -> count(username, method, reason));
        }
    }

    /** Forgets earlier failures; costs nothing when there were none (the common case for API scripts). */
    void succeeded(String username, Optional<Failures> failures) {
        if (failures.isPresent()) {
            ownTransaction.executeWithoutResult(s -> store.clear(username));
        }
    }

    private void count(String username, String method, String reason) {
        Instant now = clock.instant();
        Optional<Failures> current = store.findForUpdate(username);
        Failures next;
        if (current.isEmpty()) {
            next = new Failures(username, 1, now, null);
        } else if (current.get().windowStartedAt().isBefore(now.minus(settings.loginWindow()))) {
            next = new Failures(username, 1, now, null);
        } else {
            next = new Failures(username, current.get().failures() + 1, current.get().windowStartedAt(),
                    current.get().lockedUntil());
        }
        boolean locksNow = next.failures() == settings.maxLoginFailures();
        if (locksNow) {
            next = new Failures(username, next.failures(), next.windowStartedAt(), now.plus(settings.lockout()));
        }
        if (current.isEmpty()) {
            store.insert(next);
        } else {
            store.update(next);
        }
        events.publishEvent(AuditRecord.of(clock, "auth.login", "user:" + username, Outcome.FAILURE,
                Map.of("method", method, "reason", reason)).by(username));
        if (locksNow) {
            events.publishEvent(AuditRecord.of(clock, "auth.lockout", "user:" + username, Outcome.DENIED,
                    Map.of("until", next.lockedUntil().toString(), "failures", Integer.toString(next.failures())))
                    .by(username));
        }
    }

}
