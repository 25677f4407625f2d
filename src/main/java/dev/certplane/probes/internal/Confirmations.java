package dev.certplane.probes.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.certplane.probes.internal.store.ConfirmationStore;
import dev.certplane.probes.internal.store.ProbeStore;
import dev.certplane.shared.Ids;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Confirms that the endpoints serve a managed certificate's version after it is issued or delivered: {@link #start}
 * records which enabled targets should serve it, and the {@code probe-confirmations} task probes each endpoint with a
 * pending part every {@code certplane.probes.confirm-retry-interval} until it serves the version, serves a newer one,
 * or {@code certplane.probes.confirm-window} has passed ({@link ProbeRecorder} decides which, after every probe of the
 * endpoint, whatever caused it).
 */
@Service
public class Confirmations {

    public static final int MAX_LISTED = 100;

    private final ConfirmationStore store;
    private final ProbeStore targets;
    private final Prober prober;
    private final ProbeSettings settings;
    private final TransactionTemplate transaction;
    private final Clock clock;

    Confirmations(ConfirmationStore store, ProbeStore targets, Prober prober, ProbeSettings settings,
            PlatformTransactionManager transactions, Clock clock) {
        this.store = store;
        this.targets = targets;
        this.prober = prober;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * Starts confirming that {@code version} is served, in the caller's transaction; nothing when no enabled target
     * expects the managed certificate, or when this cause and reference were started before (a redelivered event).
     *
     * @param cause {@link Confirmation#VERSION} or {@link Confirmation#DELIVERY}
     * @param reference the delivery id, or what names the version
     */
    @Transactional
    public Optional<Confirmation> start(String managedCertificateId, int version, String fingerprintSha256,
            String cause, String reference) {
        if (store.exists(cause, reference)) {
            return Optional.empty();
        }
        List<Confirmation.Endpoint> endpoints = new ArrayList<>();
        for (ProbeTarget target : targets.enabledTargetsOf(managedCertificateId)) {
            ProbeTargetDraft spec = target.spec();
            endpoints.add(new Confirmation.Endpoint(target.id(), spec.host(), spec.port(), spec.sni(),
                    Confirmation.State.PENDING, 0, null, null, null));
        }
        if (endpoints.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Confirmation confirmation = new Confirmation(Ids.random(), managedCertificateId, version, fingerprintSha256,
                cause, reference, now, now.plus(settings.confirmWindow()), endpoints);
        store.insert(confirmation);
        return Optional.of(confirmation);
    }

    /** Probes once every endpoint that a confirmation waits on (the {@code probe-confirmations} task). */
    void probePending() {
        List<ProbeTarget> pending = new ArrayList<>();
        for (String targetId : store.targetsPending()) {
            Optional<ProbeTarget> target = targets.findTarget(targetId).filter(t -> t.spec().enabled());
            if (target.isPresent()) {
                pending.add(target.get());
            } else {
                // Deleted or disabled between the check that dropped its parts and now.
                transaction.executeWithoutResult(status -> store.dropPending(targetId));
            }
        }
        prober.probeAll(pending, ProbeCause.CONFIRMATION);
    }

    /** The managed certificate's latest confirmations, newest first. */
    public List<Confirmation> latest(String managedCertificateId, int limit) {
        return store.latest(managedCertificateId, Math.min(Math.max(limit, 1), MAX_LISTED));
    }
}
