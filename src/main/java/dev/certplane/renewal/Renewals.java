package dev.certplane.renewal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.certplane.inventory.CertificateVersion;
import dev.certplane.inventory.Inventory;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.inventory.StoredCertificate;
import dev.certplane.renewal.internal.AttemptOutcomes;
import dev.certplane.renewal.internal.Dispatcher;
import dev.certplane.renewal.internal.RenewalSchedule;
import dev.certplane.renewal.internal.store.AttemptStore;
import dev.certplane.renewal.internal.store.ChangeRecordStore;
import dev.certplane.renewal.internal.store.PolicyStore;
import dev.certplane.shared.RequestOrigin;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Renewals of managed certificates: renew now, the history, and the hold the ACME server puts on orders of
 * change-gated certificates.
 */
@Service
public class Renewals {

    public static final int MAX_HISTORY = 200;

    private final AttemptStore attempts;
    private final PolicyStore policies;
    private final Dispatcher dispatcher;
    private final AttemptOutcomes outcomes;
    private final ManagedCertificates certificates;
    private final Inventory inventory;
    private final RenewalSchedule schedule;
    private final ChangeRecordStore changes;
    private final Clock clock;

    Renewals(AttemptStore attempts, PolicyStore policies, Dispatcher dispatcher, AttemptOutcomes outcomes,
            ManagedCertificates certificates, Inventory inventory, RenewalSchedule schedule, ChangeRecordStore changes,
            Clock clock) {
        this.schedule = schedule;
        this.changes = changes;
        this.clock = clock;
        this.attempts = attempts;
        this.policies = policies;
        this.dispatcher = dispatcher;
        this.outcomes = outcomes;
        this.certificates = certificates;
        this.inventory = inventory;
    }

    /**
     * Dispatches a renewal now, whatever the window and any retry backoff say.
     *
     * @param id a managed certificate's id, or an inventory certificate's id that is one of its versions
     * @return the attempt: pending (dispatched) or awaiting change approval
     * @throws RenewalRefusedException with the reason it cannot be renewed
     * @throws RenewalConflictException if an attempt is open
     * @throws java.util.NoSuchElementException if the id names nothing
     */
    @Transactional
    public RenewalAttempt renewNow(String id) {
        ManagedCertificate managed = managed(id);
        RenewalPolicy policy = policies.effective(managed.organization()).orElseThrow(() -> new RenewalRefusedException(
                "no renewal policy applies to managed certificate '" + managed.name() + "'"
                        + (managed.organization() == null ? "" : " (organization '" + managed.organization() + "')")
                        + ": create an account default policy or one for its organization"));
        if (!policy.active()) {
            throw new RenewalRefusedException(capitalized(policy.describeScope()) + " is inactive; activate it to"
                    + " renew");
        }
        if (!policy.method().dispatches()) {
            throw new RenewalRefusedException(capitalized(policy.describeScope()) + " has method "
                    + policy.method().wire() + ", which " + (policy.method() == RenewalMethod.MANUAL
                            ? "only tracks certificates: there is no connector to renew with"
                            : "disables renewal dispatch") + "; use acme or internal");
        }
        attempts.open(managed.id()).ifPresent(open -> {
            throw new RenewalConflictException("renewal attempt " + open.id() + " of '" + managed.name() + "' is "
                    + open.state().wire() + "; wait for it to end");
        });
        CertificateVersion current = managed.currentVersion() == null ? null
                : certificates.version(managed.id(), managed.currentVersion()).orElse(null);
        return dispatcher.create(managed, current, policy, "manual", RequestOrigin.current().actor(), null)
                .orElseThrow(() -> new RenewalConflictException("another renewal of '" + managed.name()
                        + "' was dispatched at the same moment"));
    }

    /** @throws java.util.NoSuchElementException if the id names nothing */
    public RenewalHistory history(String id, int limit) {
        ManagedCertificate managed = managed(id);
        RenewalPolicy policy = policies.effective(managed.organization()).orElse(null);
        List<RenewalAttempt> list = attempts.history(managed.id(), Math.max(1, Math.min(limit, MAX_HISTORY)));
        Instant windowStart = null;
        if (policy != null && managed.currentVersion() != null) {
            windowStart = certificates.version(managed.id(), managed.currentVersion())
                    .map(v -> schedule.windowStart(policy, v)).orElse(null);
        }
        Instant nextRetry = list.isEmpty() || list.get(0).state().open() ? null : list.get(0).nextRetryAt();
        return new RenewalHistory(managed.id(), managed.name(), policy, windowStart, nextRetry, list);
    }

    public Optional<RenewalAttempt> attempt(String id) {
        return attempts.find(id);
    }

    /**
     * Called by the ACME server when an edge client finalizes an order of a managed certificate: if the policy that
     * applies requires a change record, the order is held — an attempt awaits approval with a change record — and
     * the ACME server keeps the order processing until {@link AcmeOrderRenewalDecided} arrives.
     *
     * @return the attempt holding the order, or empty if the order may be issued now
     * @throws RenewalConflictException if another renewal of the certificate is open
     */
    @Transactional
    public Optional<RenewalAttempt> holdAcmeOrder(String managedCertificateId, String orderId, String requestedBy) {
        ManagedCertificate managed = certificates.find(managedCertificateId).orElse(null);
        if (managed == null) {
            return Optional.empty();
        }
        Optional<RenewalPolicy> policy = policies.effective(managed.organization())
                .filter(p -> p.active() && p.requireChangeRecord());
        if (policy.isEmpty()) {
            return Optional.empty();
        }
        CertificateVersion current = managed.currentVersion() == null ? null
                : certificates.version(managed.id(), managed.currentVersion()).orElse(null);
        return Optional.of(dispatcher.create(managed, current, policy.get(), "acme-order", requestedBy,
                "acme-order:" + orderId).orElseThrow(() -> new RenewalConflictException("a renewal of '"
                        + managed.name() + "' is open already; try again when it has ended")));
    }

    /** The ACME server issued a held order after approval, as this version. */
    @Transactional
    public void acmeOrderIssued(String attemptId, int version) {
        attempts.find(attemptId).filter(a -> a.state() == AttemptState.IN_PROGRESS)
                .ifPresent(a -> outcomes.complete(a, AttemptState.IN_PROGRESS, version));
    }

    /**
     * The ACME server could not issue a held order after approval, or the order ended before its change was decided
     * (it expired): then the attempt is closed as failed without backoff or alert, and its pending change record is
     * cancelled, so that it no longer blocks the certificate's next renewal. Attempts that ended already are left
     * alone.
     */
    @Transactional
    public void acmeOrderFailed(String attemptId, String error) {
        attempts.find(attemptId).ifPresent(a -> {
            if (a.state() == AttemptState.IN_PROGRESS) {
                outcomes.fail(a, AttemptState.IN_PROGRESS, error, null);
            } else if (a.state() == AttemptState.AWAITING_CHANGE_APPROVAL && outcomes.close(a,
                    AttemptState.AWAITING_CHANGE_APPROVAL, AttemptState.FAILED, error, "renewal.failed")
                    && a.changeRecordId() != null) {
                changes.decide(a.changeRecordId(), ChangeRecord.CANCELLED, null, error, clock.instant());
            }
        });
    }

    private ManagedCertificate managed(String id) {
        Optional<ManagedCertificate> direct = certificates.find(id);
        if (direct.isPresent()) {
            return direct.get();
        }
        StoredCertificate stored = inventory.find(id).orElseThrow(() -> new java.util.NoSuchElementException(
                "there is no certificate or managed certificate " + id));
        if (!stored.leaf()) {
            throw new RenewalRefusedException("certificate " + id + " (" + stored.subjectCommonName() + ") is a CA"
                    + " certificate, not a leaf; only leaf certificates are renewed");
        }
        return certificates.ofCertificate(id).orElseThrow(() -> new RenewalRefusedException("certificate " + id + " ("
                + stored.subjectCommonName() + ") is not a version of any managed certificate, so Certplane does not"
                + " know how to renew it; create a managed certificate for its names"));
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
