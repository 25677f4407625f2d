package dev.certplane.renewal.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.certplane.inventory.CertificateVersion;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.renewal.AcmeOrderRenewalDecided;
import dev.certplane.renewal.AttemptState;
import dev.certplane.renewal.ChangeRecord;
import dev.certplane.renewal.RenewalAttempt;
import dev.certplane.renewal.RenewalPolicy;
import dev.certplane.renewal.internal.store.AttemptStore;
import dev.certplane.renewal.internal.store.ChangeRecordStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates attempts: pending (and run once committed), or held for change approval with their change record. Also
 * releases a held attempt once its change is approved.
 */
@Component
public class Dispatcher {

    private final AttemptStore attempts;
    private final ChangeRecordStore changes;
    private final AttemptRunner runner;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Dispatcher(AttemptStore attempts, ChangeRecordStore changes, AttemptRunner runner,
            ApplicationEventPublisher events, Clock clock) {
        this.attempts = attempts;
        this.changes = changes;
        this.runner = runner;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param current the version being renewed, {@code null} for a first issuance
     * @param reference the ACME server order the attempt holds, if it holds one
     * @return empty if the managed certificate has an open attempt already
     */
    @Transactional
    public Optional<RenewalAttempt> create(ManagedCertificate managed, @Nullable CertificateVersion current,
            RenewalPolicy policy, String trigger, String requestedBy, @Nullable String reference) {
        Instant now = clock.instant();
        String id = Ids.random();
        boolean held = policy.requireChangeRecord();
        String changeId = held ? Ids.random() : null;
        RenewalAttempt attempt = new RenewalAttempt(id, managed.id(), policy.id(), reference == null
                ? policy.method().wire() : "acme-server", held ? AttemptState.AWAITING_CHANGE_APPROVAL
                : AttemptState.PENDING, trigger, requestedBy, reference, null, changeId,
                current == null ? null : current.version(), current == null ? null : current.notAfter(), null, null,
                null, null, 0, null, now, null, null);
        if (!attempts.insert(attempt)) {
            return Optional.empty();
        }
        Map<String, String> details = AttemptOutcomes.details(attempt);
        details.put("policy", policy.id());
        details.put("state", attempt.state().wire());
        events.publishEvent(AuditRecord.of(clock, "renewal.requested", "renewal-attempt:" + id, Outcome.SUCCESS,
                details).by(requestedBy));
        if (held) {
            ChangeRecord change = new ChangeRecord(changeId, id, managed.id(), summary(managed, current, policy, reference),
                    ChangeRecord.PENDING, requestedBy, null, null, null, now);
            changes.insert(change);
            events.publishEvent(AuditRecord.of(clock, "change-record.requested", "change-record:" + changeId,
                    Outcome.SUCCESS, Map.of("attempt", id, "managedCertificate", managed.id(), "number",
                            change.number())).by(requestedBy));
        } else {
            runner.runAfterCommit(id);
        }
        return Optional.of(attempt);
    }

    /**
     * Lets a held attempt go ahead after approval: an ACME server order is handed back to the ACME server to issue,
     * any other attempt becomes pending and runs.
     */
    @Transactional
    public boolean release(RenewalAttempt held) {
        boolean order = held.reference() != null && held.reference().startsWith(SweepRunner.ORDER_PREFIX);
        AttemptState next = order ? AttemptState.IN_PROGRESS : AttemptState.PENDING;
        if (!attempts.transition(held.id(), AttemptState.AWAITING_CHANGE_APPROVAL, next, clock.instant())) {
            return false;
        }
        events.publishEvent(AuditRecord.of(clock, "renewal.released", "renewal-attempt:" + held.id(), Outcome.SUCCESS,
                Map.of("managedCertificate", held.managedCertificateId(), "changeRecord",
                        String.valueOf(held.changeRecordId()))).by(SweepRunner.ACTOR));
        if (order) {
            events.publishEvent(new AcmeOrderRenewalDecided(held.id(),
                    held.reference().substring(SweepRunner.ORDER_PREFIX.length()), true, null));
        } else {
            runner.runAfterCommit(held.id());
        }
        return true;
    }

    private static String summary(ManagedCertificate managed, @Nullable CertificateVersion current,
            RenewalPolicy policy, @Nullable String reference) {
        String what = reference != null ? "Issue " + managed.name() + " for " + reference + " (an edge client's order)"
                : (current == null ? "First issuance of " : "Renew ") + managed.name() + " by method "
                        + policy.method().wire();
        return what + ": " + String.join(", ", managed.names()) + (current == null ? ""
                : "; version " + current.version() + " expires " + current.notAfter());
    }
}
