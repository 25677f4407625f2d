package dev.certplane.renewal.internal;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.acme.client.AcmeWorkflows;
import dev.certplane.acme.client.AcmeWorkflows.AcmeWorkflow;
import dev.certplane.acme.client.AcmeWorkflows.NewWorkflow;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.issuance.CertificateRequest;
import dev.certplane.issuance.Issuance;
import dev.certplane.issuance.IssuedCertificate;
import dev.certplane.pki.KeyType;
import dev.certplane.renewal.AttemptState;
import dev.certplane.renewal.RenewalAttempt;
import dev.certplane.renewal.RenewalMethod;
import dev.certplane.renewal.RenewalPolicy;
import dev.certplane.renewal.internal.store.AttemptStore;
import dev.certplane.renewal.internal.store.PolicyStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs renewal attempts. A pending attempt is claimed by compare-and-set with a lease, so one replica runs it; the
 * built-in CA issues at once, an ACME issuer through a workflow that this runner then follows until it ends. An
 * attempt whose replica stopped (its lease ran out) runs again, and fails after too many interruptions.
 */
@Component
public class AttemptRunner {

    public static final String WORKFLOW_PREFIX = "acme-workflow:";
    private static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(AttemptRunner.class);

    private final AttemptStore attempts;
    private final PolicyStore policies;
    private final AttemptOutcomes outcomes;
    private final ManagedCertificates certificates;
    private final Issuance issuance;
    private final AcmeWorkflows workflows;
    private final RenewalSettings settings;
    private final TaskExecutor executor;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AttemptRunner(AttemptStore attempts, PolicyStore policies, AttemptOutcomes outcomes,
            ManagedCertificates certificates, Issuance issuance, AcmeWorkflows workflows, RenewalSettings settings,
            TaskExecutor applicationTaskExecutor, PlatformTransactionManager transactions,
            ApplicationEventPublisher events, Clock clock) {
        this.attempts = attempts;
        this.policies = policies;
        this.outcomes = outcomes;
        this.certificates = certificates;
        this.issuance = issuance;
        this.workflows = workflows;
        this.settings = settings;
        this.executor = applicationTaskExecutor;
        this.transaction = new TransactionTemplate(transactions);
        this.events = events;
        this.clock = clock;
    }

    /** Runs the attempt as soon as the current transaction commits (or now, outside one). */
    public void runAfterCommit(String attemptId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    executor.execute(() -> run(attemptId));
                }
            });
        } else {
            executor.execute(() -> run(attemptId));
        }
    }

    /** One pass: hand back interrupted attempts, run pending ones, follow the ACME workflows of running ones. */
    public void runDue() {
        recoverInterrupted();
        for (RenewalAttempt pending : attempts.inState(AttemptState.PENDING, BATCH)) {
            run(pending.id());
        }
        for (RenewalAttempt running : attempts.inState(AttemptState.IN_PROGRESS, 1000)) {
            if (running.jobReference() != null && running.jobReference().startsWith(WORKFLOW_PREFIX)) {
                follow(running);
            }
        }
    }

    void run(String attemptId) {
        Instant now = clock.instant();
        if (!attempts.claim(attemptId, now, now.plus(settings.attemptLease()))) {
            return;
        }
        RenewalAttempt attempt = attempts.find(attemptId).orElseThrow();
        try {
            RenewalPolicy policy = attempt.policyId() == null ? null : policies.find(attempt.policyId()).orElse(null);
            ManagedCertificate managed = certificates.find(attempt.managedCertificateId()).orElse(null);
            if (managed == null) {
                outcomes.fail(attempt, AttemptState.IN_PROGRESS, "the managed certificate was deleted", null);
            } else if (policy == null) {
                outcomes.fail(attempt, AttemptState.IN_PROGRESS, "the renewal policy was deleted before the attempt ran",
                        null);
            } else if (attempt.method().equals(RenewalMethod.INTERNAL.wire())) {
                issueInternally(attempt, managed);
            } else {
                startWorkflow(attempt, policy);
            }
        } catch (RuntimeException e) {
            log.warn("Renewal attempt {} failed: {}", attemptId, e.toString());
            outcomes.fail(attempt, AttemptState.IN_PROGRESS, message(e), null);
        }
    }

    private void issueInternally(RenewalAttempt attempt, ManagedCertificate managed) {
        KeyPair key = KeyType.EC_P256.generate();
        List<String> dns = managed.names().stream().filter(n -> !isIp(n)).toList();
        List<String> ips = managed.names().stream().filter(AttemptRunner::isIp).toList();
        CertificateRequest request = new CertificateRequest(key.getPublic(), managed.names().get(0), dns, ips,
                certificates.issuanceProfile(managed), "renewal-attempt:" + attempt.id());
        transaction.executeWithoutResult(status -> events.publishEvent(AuditRecord.of(clock, "renewal.started",
                "renewal-attempt:" + attempt.id(), Outcome.SUCCESS, AttemptOutcomes.details(attempt))));
        IssuedCertificate issued = issuance.issue(request);
        List<X509Certificate> chain = new ArrayList<>(issued.chain());
        chain.add(issued.root());
        transaction.executeWithoutResult(status -> {
            attempts.recordJob(attempt.id(), "internal-ca:" + issued.leaf().getSerialNumber().toString(16),
                    clock.instant());
            int version = certificates.addVersion(managed.id(), chain, "renewal", "renewal-attempt:" + attempt.id(),
                    AttemptOutcomes.ACTOR, key.getPrivate()).version();
            outcomes.complete(attempt, AttemptState.IN_PROGRESS, version);
        });
    }

    private void startWorkflow(RenewalAttempt attempt, RenewalPolicy policy) {
        transaction.executeWithoutResult(status -> {
            AcmeWorkflow workflow = workflows.start(new NewWorkflow(policy.acmeIssuerId(), attempt.managedCertificateId(),
                    policy.acmeChallenge(), null, policy.acmeDnsProviderId(), null));
            attempts.recordJob(attempt.id(), WORKFLOW_PREFIX + workflow.id(), clock.instant());
            Map<String, String> details = AttemptOutcomes.details(attempt);
            details.put("workflow", workflow.id());
            events.publishEvent(AuditRecord.of(clock, "renewal.started", "renewal-attempt:" + attempt.id(),
                    Outcome.SUCCESS, details));
        });
    }

    /** Completes or fails a running attempt once its ACME workflow has ended. */
    private void follow(RenewalAttempt attempt) {
        String workflowId = attempt.jobReference().substring(WORKFLOW_PREFIX.length());
        Optional<AcmeWorkflow> workflow = workflows.find(workflowId).map(d -> d.workflow());
        try {
            if (workflow.isEmpty()) {
                outcomes.fail(attempt, AttemptState.IN_PROGRESS, "ACME workflow " + workflowId + " no longer exists",
                        null);
            } else if (workflow.get().status().equals("succeeded") && workflow.get().version() != null) {
                outcomes.complete(attempt, AttemptState.IN_PROGRESS, workflow.get().version());
            } else if (workflow.get().status().equals("failed")) {
                outcomes.fail(attempt, AttemptState.IN_PROGRESS, "ACME workflow " + workflowId + " failed: "
                        + workflow.get().lastError(), workflow.get().version());
            }
        } catch (RuntimeException e) {
            log.warn("Following the ACME workflow of renewal attempt {} failed: {}", attempt.id(), e.toString());
        }
    }

    private void recoverInterrupted() {
        Instant now = clock.instant();
        for (RenewalAttempt stopped : attempts.leaseExpired(now, BATCH)) {
            int interruptions = attempts.interrupted(stopped.id(), now);
            if (interruptions < 0) {
                continue;
            }
            if (interruptions >= settings.maxInterruptions()) {
                attempts.find(stopped.id()).filter(a -> a.state() == AttemptState.PENDING).ifPresent(a -> outcomes.fail(
                        a, AttemptState.PENDING, "interrupted " + interruptions + " times (the replica running it stopped"
                                + " each time); not run again", null));
            } else {
                log.info("Renewal attempt {} was interrupted ({} so far); it runs again", stopped.id(), interruptions);
            }
        }
    }

    private static boolean isIp(String name) {
        return IPAddress.isValid(name);
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
