package dev.certplane.renewal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.renewal.internal.AttemptOutcomes;
import dev.certplane.renewal.internal.store.AttemptStore;
import dev.certplane.renewal.internal.store.ChangeRecordStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;
import dev.certplane.shared.RequestOrigin;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Change records and their decisions. Someone other than the requester decides; an approved change is released by
 * the next sweep, a rejected one closes its attempt at once (and fails a held ACME order).
 */
@Service
public class ChangeRecords {

    public static final int MAX_LISTED = 500;

    private final ChangeRecordStore store;
    private final AttemptStore attempts;
    private final AttemptOutcomes outcomes;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ChangeRecords(ChangeRecordStore store, AttemptStore attempts, AttemptOutcomes outcomes,
            ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.attempts = attempts;
        this.outcomes = outcomes;
        this.events = events;
        this.clock = clock;
    }

    /** @param state {@code null} for every state */
    public List<ChangeRecord> list(@Nullable String state, int limit) {
        if (state != null && !List.of(ChangeRecord.PENDING, ChangeRecord.APPROVED, ChangeRecord.REJECTED,
                ChangeRecord.CANCELLED).contains(state)) {
            throw new IllegalArgumentException("state must be pending, approved, rejected or cancelled");
        }
        if (limit < 1 || limit > MAX_LISTED) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LISTED);
        }
        return store.list(state, limit);
    }

    public Optional<ChangeRecord> find(String id) {
        return store.find(id);
    }

    /**
     * @return empty if there is no such change record
     * @throws SelfApprovalException if the caller requested it
     * @throws RenewalConflictException if it was decided already
     */
    @Transactional
    public Optional<ChangeRecord> approve(String id, @Nullable String note) {
        return decide(id, ChangeRecord.APPROVED, note);
    }

    /** As {@link #approve}; the held attempt is closed (failed, without backoff or alert). */
    @Transactional
    public Optional<ChangeRecord> reject(String id, @Nullable String note) {
        return decide(id, ChangeRecord.REJECTED, note);
    }

    private Optional<ChangeRecord> decide(String id, String state, @Nullable String note) {
        Optional<ChangeRecord> found = store.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ChangeRecord change = found.get();
        String actor = RequestOrigin.current().actor();
        String cleanNote = note == null || note.isBlank() ? null : note.strip();
        if (cleanNote != null && (cleanNote.length() > 1000 || cleanNote.chars().anyMatch(c -> c < 0x20 && c != '\n'))) {
            throw new IllegalArgumentException("note must be at most 1000 printable characters");
        }
        if (actor.equals(change.requestedBy())) {
            throw new SelfApprovalException("change " + change.number() + " was requested by " + actor
                    + "; another operator with certificates.manage must decide it");
        }
        if (!store.decide(id, state, actor, cleanNote, clock.instant())) {
            throw new RenewalConflictException("change " + change.number() + " was " + store.find(id)
                    .map(ChangeRecord::state).orElse("deleted") + " already");
        }
        events.publishEvent(AuditRecord.of(clock, "change-record." + state, "change-record:" + id, Outcome.SUCCESS,
                Map.of("attempt", change.attemptId(), "managedCertificate", change.managedCertificateId(),
                        "number", change.number(), "note", cleanNote == null ? "" : cleanNote)));
        if (state.equals(ChangeRecord.REJECTED)) {
            attempts.find(change.attemptId()).filter(a -> a.state() == AttemptState.AWAITING_CHANGE_APPROVAL)
                    .ifPresent(attempt -> {
                        String reason = "change " + change.number() + " was rejected by " + actor
                                + (cleanNote == null ? "" : ": " + cleanNote);
                        outcomes.close(attempt, AttemptState.AWAITING_CHANGE_APPROVAL, AttemptState.FAILED, reason,
                                "renewal.rejected");
                        if (attempt.reference() != null && attempt.reference().startsWith("acme-order:")) {
                            events.publishEvent(new AcmeOrderRenewalDecided(attempt.id(),
                                    attempt.reference().substring("acme-order:".length()), false, reason));
                        }
                    });
        }
        return store.find(id);
    }
}
