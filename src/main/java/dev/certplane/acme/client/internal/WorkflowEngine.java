package dev.certplane.acme.client.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.acme.client.internal.store.DnsProviderStore;
import dev.certplane.acme.protocol.CertificateId;
import dev.certplane.acme.client.Http01Method;
import dev.certplane.acme.client.UpstreamCertificateFailed;
import dev.certplane.acme.client.UpstreamCertificateIssued;
import dev.certplane.acme.client.WorkflowTarget;
import dev.certplane.acme.client.internal.store.DnsProviderStore.DnsProviderRow;
import dev.certplane.acme.client.internal.store.IssuerStore;
import dev.certplane.acme.client.internal.store.IssuerStore.IssuerRow;
import dev.certplane.acme.client.internal.store.WorkflowStore;
import dev.certplane.acme.client.internal.store.WorkflowStore.WorkflowRow;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.pki.KeyType;
import dev.certplane.secrets.SecretBox;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeNotSupportedException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs workflows: an order at an external CA as a state machine whose state is saved after every step, with
 * the step, its time and the CA's words, so that any replica resumes it after a restart and an operator sees
 * where it stands. Steps: order created → records published (dns-01 through the DNS provider, http-01 through
 * the workflow's http-01 method) → propagation confirmed on every authoritative nameserver → challenges triggered →
 * validated → finalized → downloaded (the managed certificate's new version) → cleaned up. Whatever happens,
 * what was published is removed. A step that fails for a passing reason (the network, a rate limit, the CA's
 * own error) is retried with backoff, honouring the CA's Retry-After.
 */
@Component
public class WorkflowEngine {

    public static final String NEW = "new";
    static final String ORDERED = "ordered";
    static final String PUBLISHED = "published";
    static final String PROPAGATED = "propagated";
    static final String TRIGGERED = "triggered";
    static final String VALIDATED = "validated";
    static final String FINALIZED = "finalized";
    static final String DOWNLOADED = "downloaded";
    static final String DONE = "done";
    static final String FAILED = "failed";

    private static final Duration LEASE = Duration.ofMinutes(15);
    private static final Logger log = LoggerFactory.getLogger(WorkflowEngine.class);

    /**
     * Something published for the CA to see, removed at cleanup: a TXT record ({@code dns}: name, value), an answer
     * of the built-in responder ({@code http}: token), a file ({@code webroot}: its path) or an answer an operator's
     * program published ({@code http-exec}: token, key authorization).
     *
     * @param identifier the name it proves (null in workflows of earlier versions)
     */
    record Published(String kind, String name, String value, @Nullable String identifier) {
    }

    private final WorkflowStore store;
    private final IssuerStore issuers;
    private final IssuerCredentials credentials;
    private final DnsProviderStore dnsProviders;
    private final SecretBox secrets;
    private final ManagedCertificates managedCertificates;
    private final AcmeClientSettings settings;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    WorkflowEngine(WorkflowStore store, IssuerStore issuers, IssuerCredentials credentials, DnsProviderStore dnsProviders,
            SecretBox secrets, ManagedCertificates managedCertificates, AcmeClientSettings settings, JsonMapper json,
            PlatformTransactionManager transactions, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.issuers = issuers;
        this.credentials = credentials;
        this.dnsProviders = dnsProviders;
        this.secrets = secrets;
        this.managedCertificates = managedCertificates;
        this.settings = settings;
        this.json = json;
        this.transaction = new TransactionTemplate(transactions);
        this.events = events;
        this.clock = clock;
    }

    /** Advances every due workflow no other replica holds. */
    void runDue() {
        for (String id : store.due(clock.instant(), 20)) {
            if (store.lease(id, clock.instant(), clock.instant().plus(LEASE))) {
                try {
                    advance(id);
                } finally {
                    store.release(id);
                }
            }
        }
    }

    /** Runs steps until the workflow ends or must wait for a retry. */
    void advance(String id) {
        while (true) {
            WorkflowRow row = store.find(id).orElseThrow();
            if (!row.status().equals("running") || row.nextRunAt().isAfter(clock.instant())) {
                return;
            }
            try {
                step(row);
            } catch (PassingFailure e) {
                retry(row, e.getMessage(), e.retryAfter);
                return;
            } catch (StepFailure e) {
                fail(row, e.getMessage());
                return;
            } catch (RuntimeException e) {
                log.warn("workflow {} failed unexpectedly in state {}", id, row.state(), e);
                retry(row, "unexpected error: " + e.getClass().getSimpleName() + ": " + e.getMessage(), null);
                return;
            }
        }
    }

    private void step(WorkflowRow row) throws PassingFailure, StepFailure {
        switch (row.state()) {
            case NEW -> createOrder(row);
            case ORDERED -> publish(row);
            case PUBLISHED -> awaitPropagation(row);
            case PROPAGATED -> trigger(row);
            case TRIGGERED -> awaitValidation(row);
            case VALIDATED -> finalizeOrder(row);
            case FINALIZED -> download(row);
            case DOWNLOADED -> {
                cleanup(row);
                save(row, DONE, "succeeded", row.orderUrl(), row.certificateKeySealed(), row.published(), row.version(),
                        null, "cleaned up", "success", "removed what was published; the workflow is complete");
            }
            default -> throw new StepFailure("unknown state " + row.state());
        }
    }

    private void createOrder(WorkflowRow row) throws PassingFailure, StepFailure {
        IssuerRow issuer = issuer(row);
        List<String> domains = targets(row).stream().map(WorkflowTarget::identifier).toList();
        Login login = login(issuer);
        String replaces = row.replaces();
        Order order;
        try {
            order = call(() -> newOrder(login, issuer, domains, replaces));
        } catch (StepFailure e) {
            if (replaces == null) {
                throw e;
            }
            // RFC 9773 5: a CA may refuse "replaces" (alreadyReplaced, or no ARI support); the renewal goes on without.
            transaction.executeWithoutResult(s -> store.addStep(row.id(), clock.instant(), "replaces refused", "retry",
                    "the CA refused replaces " + replaces + ": " + e.getMessage() + "; ordering without it"));
            order = call(() -> newOrder(login, issuer, domains, null));
        }
        save(row, ORDERED, "running", order.getLocation().toString(), null, row.published(), null, null,
                "order created", "success", "order " + order.getLocation() + " for " + domains + ", status "
                        + status(order.getStatus()) + (replaces == null ? "" : ", replacing " + replaces));
    }

    private static Order newOrder(Login login, IssuerRow issuer, List<String> domains, @Nullable String replaces)
            throws AcmeException {
        OrderBuilder builder = login.getAccount().newOrder().domains(domains);
        if (issuer.acmeProfile() != null) {
            builder.profile(issuer.acmeProfile());
        }
        if (replaces != null) {
            builder.replaces(replaces);
        }
        return builder.create();
    }

    private void publish(WorkflowRow row) throws PassingFailure, StepFailure {
        Order order = order(row);
        List<Published> published = new ArrayList<>(published(row));
        List<String> notes = new ArrayList<>();
        try {
            for (Authorization authorization : call(order::getAuthorizations)) {
                String identifier = name(authorization);
                if (authorization.getStatus() == Status.VALID) {
                    notes.add(identifier + ": already valid at the CA");
                    continue;
                }
                WorkflowTarget target = targets(row).stream().filter(t -> t.identifier().equals(identifier))
                        .findFirst().orElseThrow(() -> new StepFailure("the CA sent an authorization for "
                                + identifier + ", which the order did not ask for"));
                if (target.challenge().equals("dns-01")) {
                    Dns01Challenge challenge = authorization.findChallenge(Dns01Challenge.class).orElseThrow(
                            () -> new StepFailure("the CA offers no dns-01 challenge for " + identifier));
                    String fqdn = trimDot(challenge.getRRName(authorization.getIdentifier()));
                    try {
                        String done = dnsRecords(row).publish(fqdn, challenge.getDigest());
                        published.add(new Published("dns", fqdn, challenge.getDigest(), identifier));
                        notes.add(identifier + ": TXT " + fqdn + " " + done);
                    } catch (DnsException e) {
                        String message = "publishing TXT " + fqdn + " failed: " + e.getMessage();
                        if (e.permanent()) {
                            throw new StepFailure(message);
                        }
                        throw new PassingFailure(message, null);
                    }
                } else {
                    Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class).orElseThrow(
                            () -> new StepFailure("the CA offers no http-01 challenge for " + identifier));
                    try {
                        notes.add(identifier + ": http-01 answer " + publishHttp01(row, target, challenge, published));
                    } catch (IOException | ExecException e) {
                        throw new PassingFailure("publishing the http-01 answer for " + identifier + " failed: "
                                + e.getMessage(), null);
                    }
                }
            }
        } catch (PassingFailure | StepFailure e) {
            // Only a completed step saves its list for cleanup: remove what this attempt published so far.
            if (!published.isEmpty()) {
                withdraw(row, published, "publishing stopped part-way; ");
            }
            throw e;
        }
        save(row, PUBLISHED, "running", row.orderUrl(), null, json.writeValueAsString(published), null, null,
                "records published", "success", String.join("; ", notes));
    }

    /** Publishes one http-01 answer as the target's method says; returns what was done, for the timeline. */
    private String publishHttp01(WorkflowRow row, WorkflowTarget target, Http01Challenge challenge,
            List<Published> published) throws IOException, ExecException {
        String token = challenge.getToken();
        String answer = challenge.getAuthorization();
        Http01Method method = target.http01();
        String type = method == null ? Http01Method.RESPONDER : method.type();
        switch (type) {
            case Http01Method.WEBROOT -> {
                Path file = Webroot.write(method.webroot(), token, answer);
                published.add(new Published("webroot", file.toString(), "", target.identifier()));
                return "written to " + file;
            }
            case Http01Method.EXEC -> {
                program(method).run("add", token, answer, target.identifier());
                published.add(new Published("http-exec", token, answer, target.identifier()));
                return "published by " + method.program() + " add " + token;
            }
            default -> {
                transaction.executeWithoutResult(s -> store.putHttpToken(token, answer, row.id(), clock.instant()));
                published.add(new Published("http", token, "", target.identifier()));
                return "served at " + Http01Responder.PREFIX + token;
            }
        }
    }

    private void awaitPropagation(WorkflowRow row) throws PassingFailure, StepFailure {
        List<Published> records = published(row).stream().filter(p -> p.kind().equals("dns")).toList();
        long deadline = System.nanoTime() + settings.propagationTimeout().toNanos();
        List<String> lines = new ArrayList<>();
        for (Published record : records) {
            while (true) {
                List<Propagation.NameserverResult> results;
                try {
                    results = propagation().check(record.name(), record.value());
                } catch (DnsException e) {
                    throw new PassingFailure("propagation check of " + record.name() + " failed: " + e.getMessage(), null);
                }
                String summary = record.name() + ": " + results.stream().map(r -> r.nameserver() + " "
                        + (r.seen() ? "has it" : r.detail())).toList();
                if (results.stream().allMatch(Propagation.NameserverResult::seen)) {
                    lines.add(summary);
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new StepFailure("the record did not reach every authoritative nameserver within "
                            + settings.propagationTimeout().toSeconds() + " s: " + summary);
                }
                sleep(settings.pollInterval());
            }
        }
        save(row, PROPAGATED, "running", row.orderUrl(), null, row.published(), null, null, "propagation confirmed",
                "success", records.isEmpty() ? "no DNS records to wait for" : String.join("; ", lines));
    }

    private void trigger(WorkflowRow row) throws PassingFailure, StepFailure {
        Order order = order(row);
        List<String> notes = new ArrayList<>();
        for (Authorization authorization : call(order::getAuthorizations)) {
            if (authorization.getStatus() != Status.PENDING) {
                continue;
            }
            Challenge challenge = chosen(row, authorization);
            if (challenge.getStatus() == Status.PENDING) {
                call(() -> {
                    challenge.trigger();
                    return null;
                });
            }
            notes.add(name(authorization) + ": " + challenge.getType() + " " + status(challenge.getStatus()));
        }
        save(row, TRIGGERED, "running", row.orderUrl(), null, row.published(), null, null, "challenges triggered",
                "success", notes.isEmpty() ? "every authorization was already valid" : String.join("; ", notes));
    }

    private void awaitValidation(WorkflowRow row) throws PassingFailure, StepFailure {
        Order order = order(row);
        long deadline = System.nanoTime() + settings.caTimeout().toNanos();
        while (true) {
            List<String> pending = new ArrayList<>();
            for (Authorization authorization : call(order::getAuthorizations)) {
                call(authorization::fetch);
                if (authorization.getStatus() == Status.INVALID) {
                    String problem = authorization.getChallenges().stream().map(Challenge::getError)
                            .flatMap(Optional::stream).findFirst().map(WorkflowEngine::describe).orElse("no error given");
                    throw new StepFailure("the CA found " + name(authorization) + " invalid: " + problem);
                }
                if (authorization.getStatus() != Status.VALID) {
                    pending.add(name(authorization) + " " + status(authorization.getStatus()));
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure("the CA did not validate within " + settings.caTimeout().toSeconds() + " s: "
                        + pending);
            }
            sleep(settings.pollInterval());
        }
        save(row, VALIDATED, "running", row.orderUrl(), null, row.published(), null, null, "validated", "success",
                "every authorization is valid");
    }

    private void finalizeOrder(WorkflowRow row) throws PassingFailure, StepFailure {
        Order order = order(row);
        if (row.csr() != null) {
            // Upstream delivery: the client's CSR goes to the CA as it is; its key never leaves the client.
            if (order.getStatus() == Status.READY) {
                call(() -> {
                    order.execute(Base64.getDecoder().decode(row.csr()));
                    return null;
                });
            }
            save(row, FINALIZED, "running", row.orderUrl(), null, row.published(), null, null, "finalized", "success",
                    "the client's CSR for " + targets(row).stream().map(WorkflowTarget::identifier).toList()
                            + " sent; order " + status(order.getStatus()));
            return;
        }
        // The key is saved before the CSR leaves, so a restart after finalize still has the certificate's key.
        String sealed = row.certificateKeySealed();
        if (sealed == null) {
            KeyPair generated = KeyType.EC_P256.generate();
            sealed = secrets.sealPrivateKey(generated.getPrivate(), keyPurpose(row.id()));
            String publicPart = Base64.getEncoder().encodeToString(generated.getPublic().getEncoded());
            sealed = sealed + "|" + publicPart;
            save(row, VALIDATED, "running", row.orderUrl(), sealed, row.published(), null, null, "certificate key generated",
                    "success", "EC P-256 key generated and sealed");
        }
        KeyPair key = certificateKey(sealed, row.id());
        if (order.getStatus() == Status.READY) {
            call(() -> {
                order.execute(key);
                return null;
            });
        }
        save(row, FINALIZED, "running", row.orderUrl(), sealed, row.published(), null, null, "finalized", "success",
                "CSR for " + targets(row).stream().map(WorkflowTarget::identifier).toList() + " sent; order "
                        + status(order.getStatus()));
    }

    private void download(WorkflowRow row) throws PassingFailure, StepFailure {
        Order order = order(row);
        long deadline = System.nanoTime() + settings.caTimeout().toNanos();
        while (order.getStatus() != Status.VALID) {
            if (order.getStatus() == Status.INVALID) {
                throw new StepFailure("the CA refused to issue: " + order.getError().map(WorkflowEngine::describe)
                        .orElse("no error given"));
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure("the CA did not issue within " + settings.caTimeout().toSeconds() + " s");
            }
            sleep(settings.pollInterval());
            call(order::fetch);
        }
        IssuerRow issuer = issuer(row);
        Certificate offered = order.getCertificate();
        call(() -> {
            offered.download();
            return null;
        });
        // RFC 8555 7.4.2: the CA may offer alternate chains; the issuer's preferred one is chosen by an issuer's CN.
        String preferred = issuer.preferredChain();
        Certificate certificate = preferred == null ? offered
                : call(() -> offered.findCertificate(preferred)).orElse(offered);
        List<X509Certificate> chain = certificate.getCertificateChain();
        String issued = "certificate serial " + chain.get(0).getSerialNumber().toString(16) + " issued by "
                + chain.get(0).getIssuerX500Principal().getName() + ", expires " + chain.get(0).getNotAfter().toInstant()
                + (preferred == null ? "" : certificate == offered && !offered.isIssuedBy(preferred)
                        ? "; no chain through " + preferred + " was offered, the default one is kept"
                        : "; chain through " + preferred);
        if (row.reference() != null) {
            save(row, DOWNLOADED, "running", row.orderUrl(), null, row.published(), null, null, "downloaded", "success",
                    issued + "; handed to " + row.reference(), new UpstreamCertificateIssued(row.reference(), row.id(),
                            dev.certplane.pki.Pem.encodeCertificates(chain), issuer.name()));
            return;
        }
        String certificateId = CertificateId.of(chain.get(0)).text();
        RenewalWindow renewal = renewalWindow(certificate);
        transaction.executeWithoutResult(s -> {
            int version = managedCertificates.addVersion(row.managedCertificateId(), chain, "acme-client",
                    "acme-workflow:" + row.id(), "acme-issuer:" + issuer.id()).version();
            store.recordRenewalInfo(row.id(), certificateId, renewal.start(), renewal.end());
            save(row, DOWNLOADED, "running", row.orderUrl(), row.certificateKeySealed(), row.published(), version, null,
                    "downloaded", "success", issued + "; version " + version + " of the managed certificate; ARI id "
                            + certificateId + "; " + renewal.note());
        });
    }

    /** The CA's suggested renewal window (RFC 9773 4.2), when it offers renewal information. */
    private record RenewalWindow(@Nullable Instant start, @Nullable Instant end, String note) {
    }

    private static RenewalWindow renewalWindow(Certificate certificate) {
        if (!certificate.hasRenewalInfo()) {
            return new RenewalWindow(null, null, "the CA offers no renewal information");
        }
        try {
            RenewalInfo info = certificate.getRenewalInfo();
            info.fetch();
            return new RenewalWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(),
                    "suggested renewal window " + info.getSuggestedWindowStart() + " to " + info.getSuggestedWindowEnd());
        } catch (AcmeException | RuntimeException e) {
            return new RenewalWindow(null, null, "renewal information could not be read: " + e.getMessage());
        }
    }

    /** Removes everything published; a failure here is recorded, never fatal. */
    private void cleanup(WorkflowRow row) {
        withdraw(row, published(row), "");
    }

    /** Removes these records and answers; the timeline says what was removed and what could not be. */
    private void withdraw(WorkflowRow row, List<Published> records, String context) {
        List<String> notes = new ArrayList<>();
        boolean allRemoved = true;
        for (Published record : records) {
            String what = switch (record.kind()) {
                case "dns" -> "TXT " + record.name();
                case "http-exec" -> "http-01 answer for " + record.identifier();
                default -> "http-01 answer " + record.name();
            };
            try {
                notes.add(what + " " + withdraw(row, record));
            } catch (DnsException | ExecException | IOException | StepFailure e) {
                allRemoved = false;
                notes.add(what + " could not be removed: " + e.getMessage());
            }
        }
        transaction.executeWithoutResult(s -> store.removeHttpTokens(row.id()));
        String outcome = allRemoved ? "success" : "failure";
        String detail = context + (notes.isEmpty() ? "nothing left to remove" : String.join("; ", notes));
        transaction.executeWithoutResult(s -> store.addStep(row.id(), clock.instant(), "cleanup", outcome, detail));
    }

    /** Removes one record or answer; returns what was done, for the timeline. */
    private String withdraw(WorkflowRow row, Published record) throws DnsException, ExecException, IOException,
            StepFailure {
        switch (record.kind()) {
            case "dns" -> {
                return dnsRecords(row).remove(record.name(), record.value());
            }
            case "webroot" -> {
                return Webroot.remove(record.name()) ? "deleted" : "was already gone";
            }
            case "http-exec" -> {
                Http01Method method = targets(row).stream().filter(t -> record.identifier().equals(t.identifier()))
                        .map(WorkflowTarget::http01).filter(java.util.Objects::nonNull).findFirst()
                        .orElseThrow(() -> new StepFailure("the workflow names no http-01 program for "
                                + record.identifier()));
                program(method).run("remove", record.name(), record.value(), record.identifier());
                return "removed by " + method.program() + " remove";
            }
            default -> {
                return "withdrawn from the built-in responder";
            }
        }
    }

    private void fail(WorkflowRow row, String error) {
        cleanup(row);
        save(row, FAILED, "failed", row.orderUrl(), row.certificateKeySealed(), row.published(), row.version(), error,
                "failed in " + row.state(), "failure", error,
                row.reference() == null ? null : new UpstreamCertificateFailed(row.reference(), row.id(), error));
    }

    private void retry(WorkflowRow row, String error, @Nullable Instant retryAfter) {
        int attempts = row.attempts() + 1;
        if (attempts >= settings.maxAttempts()) {
            fail(row, error + " (gave up after " + attempts + " attempts)");
            return;
        }
        Instant backoff = clock.instant().plusSeconds(Math.min(3600, 5L << attempts));
        Instant next = retryAfter != null && retryAfter.isAfter(backoff) ? retryAfter : backoff;
        transaction.executeWithoutResult(s -> {
            store.update(new WorkflowRow(row.id(), row.issuerId(), row.managedCertificateId(), row.identifiers(),
                    row.dnsProviderId(), row.state(), "running", row.orderUrl(), row.certificateKeySealed(),
                    row.published(), attempts, next, error, row.version(), row.csr(), row.reference(), row.replaces(),
                    row.ariCertificateId(), row.ariWindowStart(), row.ariWindowEnd(), row.createdAt(), clock.instant()));
            store.addStep(row.id(), clock.instant(), "retry scheduled", "retry", error + "; next attempt at " + next);
        });
    }

    private void save(WorkflowRow row, String state, String status, @Nullable String orderUrl, @Nullable String keySealed,
            String published, @Nullable Integer version, @Nullable String error, String step, String outcome,
            String detail) {
        save(row, state, status, orderUrl, keySealed, published, version, error, step, outcome, detail, null);
    }

    /** @param event published with the step, in its transaction (the result of an upstream order) */
    private void save(WorkflowRow row, String state, String status, @Nullable String orderUrl, @Nullable String keySealed,
            String published, @Nullable Integer version, @Nullable String error, String step, String outcome,
            String detail, @Nullable Object event) {
        Instant now = clock.instant();
        transaction.executeWithoutResult(s -> {
            if (event != null) {
                events.publishEvent(event);
            }
            store.update(new WorkflowRow(row.id(), row.issuerId(), row.managedCertificateId(), row.identifiers(),
                    row.dnsProviderId(), state, status, orderUrl, keySealed, published, state.equals(row.state())
                            ? row.attempts() : 0, now, error, version, row.csr(), row.reference(), row.replaces(),
                    row.ariCertificateId(), row.ariWindowStart(), row.ariWindowEnd(), row.createdAt(), now));
            store.addStep(row.id(), now, step, outcome, detail);
            Map<String, String> details = new HashMap<>(Map.of("step", step, "state", state, "detail", abbreviate(detail)));
            details.put(row.reference() != null ? "reference" : "managedCertificate",
                    row.reference() != null ? row.reference() : row.managedCertificateId());
            events.publishEvent(AuditRecord.of(clock, "acme-workflow." + (status.equals("running") ? "step"
                    : status), "acme-workflow:" + row.id(), outcome.equals("failure") ? Outcome.FAILURE : Outcome.SUCCESS,
                    details));
        });
    }

    private Login login(IssuerRow issuer) throws StepFailure {
        if (issuer.accountUrl() == null) {
            throw new StepFailure("issuer '" + issuer.name() + "' has no registered account (" + issuer.status() + ")");
        }
        try {
            return CaAccounts.session(issuer.directoryUrl(), issuer.trustBundlePem())
                    .login(URI.create(issuer.accountUrl()).toURL(), credentials.accountKey(issuer));
        } catch (java.net.MalformedURLException e) {
            throw new StepFailure("issuer '" + issuer.name() + "' has an unusable account URL");
        }
    }

    private Order order(WorkflowRow row) throws PassingFailure, StepFailure {
        try {
            Order order = login(issuer(row)).bindOrder(URI.create(row.orderUrl()).toURL());
            call(order::fetch);
            return order;
        } catch (java.net.MalformedURLException e) {
            throw new StepFailure("the stored order URL is unusable");
        }
    }

    private Challenge chosen(WorkflowRow row, Authorization authorization) throws StepFailure {
        String identifier = name(authorization);
        String type = targets(row).stream().filter(t -> t.identifier().equals(identifier)).map(WorkflowTarget::challenge)
                .findFirst().orElse("dns-01");
        return authorization.getChallenges().stream().filter(c -> c.getType().equals(type)).findFirst()
                .orElseThrow(() -> new StepFailure("the CA offers no " + type + " challenge for " + identifier));
    }

    private IssuerRow issuer(WorkflowRow row) throws StepFailure {
        return issuers.find(row.issuerId()).orElseThrow(() -> new StepFailure("the issuer was deleted"));
    }

    private DnsRecords dnsRecords(WorkflowRow row) throws StepFailure {
        DnsProviderRow provider = Optional.ofNullable(row.dnsProviderId()).flatMap(dnsProviders::find)
                .orElseThrow(() -> new StepFailure("the workflow's DNS provider does not exist"));
        return DnsRecords.of(provider, secrets, settings, json);
    }

    private ExecProgram program(Http01Method method) {
        return new ExecProgram(method.program(), settings.execPaths(), ExecProgram.TIMEOUT);
    }

    private Propagation propagation() {
        return new Propagation(settings.dnsResolvers().stream().map(WorkflowEngine::socketAddress).toList(),
                settings.nameserverPort());
    }

    private List<WorkflowTarget> targets(WorkflowRow row) {
        return json.readValue(row.identifiers(), new TypeReference<List<WorkflowTarget>>() { });
    }

    private List<Published> published(WorkflowRow row) {
        return json.readValue(row.published(), new TypeReference<List<Published>>() { });
    }

    private KeyPair certificateKey(String sealed, String workflowId) {
        int bar = sealed.lastIndexOf('|');
        try {
            java.security.PublicKey publicKey = java.security.KeyFactory.getInstance("EC").generatePublic(
                    new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(sealed.substring(bar + 1))));
            return new KeyPair(publicKey, secrets.openPrivateKey(sealed.substring(0, bar), keyPurpose(workflowId)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the certificate key of workflow " + workflowId + " is unreadable", e);
        }
    }

    static InetSocketAddress socketAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            return new InetSocketAddress(InetAddress.getByName(colon < 0 ? hostPort : hostPort.substring(0, colon)),
                    colon < 0 ? 53 : Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + hostPort + "' is not host:port", e);
        }
    }

    private static String name(Authorization authorization) {
        return (authorization.isWildcard() ? "*." : "") + authorization.getIdentifier().getValue();
    }

    private static String keyPurpose(String workflowId) {
        return "acme-client.certificate-key:" + workflowId;
    }

    private static String status(Status status) {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String describe(Problem problem) {
        return problem.getDetail().orElse("") + " (" + problem.getType() + ")";
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String abbreviate(String text) {
        return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @FunctionalInterface
    private interface CaCall<T> {
        T run() throws AcmeException;
    }

    /** A CA call; failures become a passing or a final failure in the CA's words. */
    private static <T> T call(CaCall<T> call) throws PassingFailure, StepFailure {
        try {
            return call.run();
        } catch (AcmeRateLimitedException e) {
            throw new PassingFailure("rate limited by the CA: " + describe(e.getProblem()), e.getRetryAfter().orElse(null));
        } catch (AcmeServerException e) {
            if (e.getType().toString().endsWith(":serverInternal")) {
                throw new PassingFailure("the CA had an internal error: " + describe(e.getProblem()), null);
            }
            throw new StepFailure("the CA answered: " + describe(e.getProblem()));
        } catch (AcmeNotSupportedException e) {
            throw new StepFailure("the CA does not support what the issuer asks for: " + e.getMessage());
        } catch (AcmeNetworkException e) {
            throw new PassingFailure("the CA could not be reached: " + e.getMessage(), null);
        } catch (AcmeException e) {
            throw new PassingFailure("the CA request failed: " + e.getMessage(), null);
        }
    }

    /** Worth trying again later: the network, a rate limit, the CA's own error. */
    static final class PassingFailure extends Exception {

        final @Nullable Instant retryAfter;

        PassingFailure(String message, @Nullable Instant retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    /** Final: the CA refused, a challenge failed, or the set-up is wrong. */
    static final class StepFailure extends Exception {

        StepFailure(String message) {
            super(message, null, false, false);
        }
    }
}
