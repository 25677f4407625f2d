package dev.certplane.acme.server.internal;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import dev.certplane.acme.client.AcmeWorkflows;
import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.AcmeProblem.Subproblem;
import dev.certplane.acme.protocol.AuthorizationStatus;
import dev.certplane.acme.protocol.Base64Url;
import dev.certplane.acme.protocol.CertificateId;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.OrderStates;
import dev.certplane.acme.protocol.OrderStatus;
import dev.certplane.acme.protocol.ProblemType;
import dev.certplane.acme.server.internal.store.CertificateStore;
import dev.certplane.acme.server.internal.store.ChallengeStore.ChallengeRow;
import dev.certplane.acme.server.internal.store.CertificateStore.CertificateRow;
import dev.certplane.acme.server.internal.store.OrderStore;
import dev.certplane.acme.server.internal.store.OrderStore.AuthorizationRow;
import dev.certplane.acme.server.internal.store.OrderStore.OrderRow;
import dev.certplane.delivery.Delivery;
import dev.certplane.delivery.TokenBinding;
import dev.certplane.issuance.CertificateRequest;
import dev.certplane.issuance.Issuance;
import dev.certplane.issuance.IssuanceException;
import dev.certplane.issuance.IssuedCertificate;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.Csr;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.Pem;
import dev.certplane.pki.PkiException;
import dev.certplane.renewal.ChangeRecord;
import dev.certplane.renewal.ChangeRecords;
import dev.certplane.renewal.RenewalAttempt;
import dev.certplane.renewal.RenewalConflictException;
import dev.certplane.renewal.Renewals;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Orders and their authorizations (RFC 8555 7.4, 7.5): creation, lookup, finalization, listing. */
@Service
class Orders {

    static final int MAX_IDENTIFIERS = 100;
    static final int PAGE_SIZE = 100;
    /** The {@code issuer} recorded for certificates an external CA issued (upstream delivery). */
    static final String UPSTREAM_ISSUER = "upstream";

    private static final Logger log = LoggerFactory.getLogger(Orders.class);

    private final OrderStore orders;
    private final CertificateStore certificates;
    private final Issuance issuance;
    private final AcmeUrls urls;
    private final AcmeSettings settings;
    private final AcmeAudit audit;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final Timer issuanceTimer;
    private final Delivery delivery;
    private final Challenges challenges;
    private final AcmeWorkflows workflows;
    private final Renewals renewals;
    private final ChangeRecords changes;
    private final ProfileCatalog profiles;
    private final Clock clock;

    Orders(OrderStore orders, CertificateStore certificates, Issuance issuance, AcmeUrls urls, AcmeSettings settings,
            AcmeAudit audit, JsonMapper json, PlatformTransactionManager transactions, MeterRegistry meters,
            Delivery delivery, Challenges challenges, AcmeWorkflows workflows, Renewals renewals,
            ChangeRecords changes, ProfileCatalog profiles, Clock clock) {
        this.renewals = renewals;
        this.changes = changes;
        this.profiles = profiles;
        this.delivery = delivery;
        this.workflows = workflows;
        this.challenges = challenges;
        this.orders = orders;
        this.certificates = certificates;
        this.issuance = issuance;
        this.urls = urls;
        this.settings = settings;
        this.audit = audit;
        this.json = json;
        this.transaction = new TransactionTemplate(transactions);
        this.issuanceTimer = Timer.builder("certplane.acme.issuance")
                .description("Time from a finalize request's CSR check to the stored certificate")
                .publishPercentileHistogram().register(meters);
        this.clock = clock;
    }

    /**
     * An order with what the response needs: its resource, URL and whether to ask the client to wait.
     *
     * @param held the order waits for a change record's approval, which may take days: poll less often
     */
    record OrderView(Wire.OrderResource resource, String url, boolean processing, boolean held) {
    }

    /**
     * Whom an issuance is for and where its audit events come from.
     *
     * @param client the client whose request issues, or {@code null} when the server issues on its own (a held order
     *     released after approval)
     * @param renewalAttemptId the renewal attempt that held the order, told how the issuance ended
     */
    private record Finalization(Profile profile, String accountId, @Nullable ClientInfo client,
            @Nullable TokenBinding binding, @Nullable String renewalAttemptId) {
    }

    /** What finalize's compare-and-set did: whether it won, and the attempt holding the order if it was held. */
    private record Start(boolean won, @Nullable RenewalAttempt held) {
    }

    OrderView create(SignedRequest request) {
        Account account = request.requireAccount();
        Profile profile = request.profile();
        JsonNode payload = request.payload();
        if (payload.has("profile") && !payload.get("profile").asString("").equals(profile.name())) {
            throw AcmeProblem.of(ProblemType.INVALID_PROFILE, "this directory issues profile '" + profile.name()
                    + "'; use the directory of the profile you want");
        }
        List<Identifier> identifiers = identifiers(payload.get("identifiers"), profile, request.binding());
        Instant now = clock.instant();
        Instant notBefore = time(payload, "notBefore");
        Instant notAfter = time(payload, "notAfter");
        checkValidityWindow(notBefore, notAfter, profile, now);
        String replaces = payload.has("replaces") ? replaces(payload.get("replaces"), account, identifiers) : null;

        Instant authorizationExpires = now.plus(settings.authorizationLifetime());
        Instant orderExpires = min(now.plus(settings.orderLifetime()), authorizationExpires);
        String orderId = Ids.random();
        List<AuthorizationRow> authorizations = new ArrayList<>();
        List<ChallengeRow> offered = new ArrayList<>();
        // In the other modes the profile's name policy (and the token's scope) is the proof.
        boolean prove = profile.authMode() == AuthMode.CHALLENGE;
        for (Identifier identifier : identifiers) {
            String authorizationId = Ids.random();
            authorizations.add(new AuthorizationRow(authorizationId, orderId, account.id(), identifier.type(),
                    identifier.baseName(), identifier.isWildcard(),
                    (prove ? AuthorizationStatus.PENDING : AuthorizationStatus.VALID).wire(), authorizationExpires));
            if (prove) {
                offered.addAll(Challenges.offer(authorizationId, identifier));
            }
        }
        OrderRow row = new OrderRow(orderId, account.id(), profile.name(), "none", json.writeValueAsString(identifiers),
                notBefore, notAfter, orderExpires, replaces, null, null, null, now, null);
        Map<String, String> details = new java.util.HashMap<>(Map.of("profile", profile.name(),
                "identifiers", names(identifiers)));
        addToken(details, request.binding());
        transaction.executeWithoutResult(s -> {
            orders.insert(row, authorizations);
            challenges.insert(offered, now);
            audit.record("acme.order.created", "acme-order:" + orderId, Outcome.SUCCESS, account.id(),
                    request.client(), details);
        });
        return view(row, authorizations, now);
    }

    OrderView get(SignedRequest request, String orderId) {
        request.requirePostAsGet();
        OrderRow row = ownOrder(request, orderId);
        return view(row, orders.authorizationsOf(orderId), clock.instant());
    }

    /**
     * Finalize (RFC 8555 7.4): checks the CSR, moves the order to processing by compare-and-set so that only
     * one of several concurrent calls issues, issues, and records the certificate. Repeating a finalize with
     * the same CSR returns the order as it is.
     */
    OrderView finalizeOrder(SignedRequest request, String orderId) {
        Account account = request.requireAccount();
        OrderRow row = ownOrder(request, orderId);
        JsonNode payload = request.payload();
        if (!payload.path("csr").isString()) {
            throw AcmeProblem.malformed("the finalize payload needs \"csr\", the base64url DER of a PKCS#10 request");
        }
        byte[] der = Base64Url.decode(payload.get("csr").asString(), "csr");
        String csrHash = sha256(der);
        List<AuthorizationRow> authorizations = orders.authorizationsOf(orderId);
        Instant now = clock.instant();
        OrderStatus status = status(row, authorizations, now);
        if ((status == OrderStatus.PROCESSING || status == OrderStatus.VALID) && csrHash.equals(row.csrSha256())) {
            return view(row, authorizations, now);
        }
        if (status != OrderStatus.READY) {
            throw AcmeProblem.of(ProblemType.ORDER_NOT_READY, "the order is " + status.wire()
                    + "; it can be finalized only when it is ready");
        }
        List<Identifier> identifiers = identifiersOf(row);
        Csr csr = checkCsr(der, identifiers, account, request.profile());
        challenges.recheckCaa(request.profile(), authorizations, account);
        Start start;
        try {
            // The compare-and-set and the hold commit together: a refused hold leaves the order ready.
            start = transaction.execute(s -> {
                if (!orders.startFinalizing(orderId, csrHash, now)) {
                    return new Start(false, null);
                }
                return new Start(true, request.binding() == null ? null
                        : holdForChange(row, identifiers, der, account, request));
            });
        } catch (RenewalConflictException e) {
            throw AcmeProblem.of(ProblemType.ORDER_NOT_READY, e.getMessage() + " (finalize this order again then)");
        }
        if (!start.won()) {
            OrderRow current = orders.find(orderId).orElseThrow();
            if (csrHash.equals(current.csrSha256())) {
                return view(current, authorizations, now);
            }
            throw AcmeProblem.of(ProblemType.ORDER_NOT_READY, "the order is already being finalized with another CSR");
        }
        if (start.held() == null) {
            Finalization finalization = new Finalization(request.profile(), account.id(), request.client(),
                    request.binding(), null);
            if (request.profile().upstream() != null) {
                sendUpstream(row, identifiers, der, finalization);
            } else {
                issue(row, identifiers, csr, finalization);
            }
        }
        return view(orders.find(orderId).orElseThrow(), authorizations, clock.instant());
    }

    /**
     * Change-gated renewals: when the renewal policy of the token's managed certificate requires a change record,
     * the order is held — its CSR kept, processing — until the change is decided. In the caller's transaction.
     *
     * @return the attempt holding the order, or {@code null} to issue now
     * @throws RenewalConflictException if another renewal of the managed certificate is open
     */
    private @Nullable RenewalAttempt holdForChange(OrderRow row, List<Identifier> identifiers, byte[] der,
            Account account, SignedRequest request) {
        TokenBinding binding = request.binding();
        RenewalAttempt attempt = renewals.holdAcmeOrder(binding.managedCertificateId(), row.id(),
                "acme-account:" + account.id()).orElse(null);
        if (attempt == null) {
            return null;
        }
        orders.hold(row.id(), Base64Url.encode(der), attempt.id());
        Map<String, String> details = new HashMap<>(Map.of("names", names(identifiers), "renewalAttempt", attempt.id()));
        if (attempt.changeRecordId() != null) {
            details.put("changeRecord", attempt.changeRecordId());
            changes.find(attempt.changeRecordId()).map(ChangeRecord::number).ifPresent(n -> details.put("change", n));
        }
        addToken(details, binding);
        audit.record("acme.order.held", "acme-order:" + row.id(), Outcome.SUCCESS, account.id(), request.client(),
                details);
        return attempt;
    }

    /**
     * The change of a held order was approved and the renewal sweep released it: issue its CSR as finalize would
     * have. Handling the same decision twice changes nothing (compare-and-set on {@code processing}).
     */
    void releaseHeld(String orderId, String attemptId) {
        OrderRow row = orders.find(orderId).orElse(null);
        if (row == null || !row.held() || !attemptId.equals(row.renewalAttemptId())) {
            // Nothing waits for this release any more (the order expired, or this decision was handled already).
            transaction.executeWithoutResult(s -> renewals.acmeOrderFailed(attemptId, "ACME order " + orderId
                    + " no longer waits for issuance"));
            return;
        }
        if (!clock.instant().isBefore(row.expires())) {
            failHeld(row, ProblemType.UNAUTHORIZED, expiredWhileHeld(row));
            return;
        }
        Profile profile = profiles.find(row.profile()).orElse(null);
        if (profile == null) {
            failHeld(row, ProblemType.SERVER_INTERNAL, "profile '" + row.profile() + "' was deleted while the order"
                    + " waited for approval");
            return;
        }
        TokenBinding binding = delivery.bindingOf(row.accountId()).orElse(null);
        if (binding == null || binding.refusal() != null) {
            failHeld(row, ProblemType.UNAUTHORIZED, binding == null ? "the account is no longer bound to a certificate"
                    + " token" : binding.refusal());
            return;
        }
        byte[] der = Base64Url.decode(orders.heldCsr(orderId).orElseThrow(), "csr");
        Finalization finalization = new Finalization(profile, row.accountId(), null, binding, attemptId);
        if (profile.upstream() != null) {
            sendUpstream(row, identifiersOf(row), der, finalization);
        } else {
            issue(row, identifiersOf(row), Csr.parse(der), finalization);
        }
    }

    /**
     * The change of a held order was rejected (or the managed certificate was renewed otherwise): the order becomes
     * invalid with {@code unauthorized} — issuance was not authorized; the names themselves remain orderable.
     */
    void refuseHeld(String orderId, String attemptId, String reason) {
        orders.find(orderId).filter(r -> r.held() && attemptId.equals(r.renewalAttemptId()))
                .ifPresent(row -> failHeld(row, ProblemType.UNAUTHORIZED, reason));
    }

    /** Held orders that expired before their change was decided (or released) fail, and so do their attempts. */
    int failExpiredHeld() {
        int failed = 0;
        for (OrderRow row : orders.heldAndExpired(clock.instant(), 100)) {
            failed += failHeld(row, ProblemType.UNAUTHORIZED, expiredWhileHeld(row)) ? 1 : 0;
        }
        return failed;
    }

    private static String expiredWhileHeld(OrderRow row) {
        return "the order expired at " + row.expires() + " before its change was approved and issued (renewal attempt "
                + row.renewalAttemptId() + "); create a new order";
    }

    private boolean failHeld(OrderRow row, ProblemType type, String detail) {
        return Boolean.TRUE.equals(transaction.execute(s -> {
            if (!orders.markFailed(row.id(), problemJson(type, detail))) {
                return false;
            }
            renewals.acmeOrderFailed(row.renewalAttemptId(), detail);
            audit.recordForAccount("acme.order.finalized", "acme-order:" + row.id(), Outcome.FAILURE, row.accountId(),
                    Map.of("reason", detail, "renewalAttempt", String.valueOf(row.renewalAttemptId())));
            return true;
        }));
    }

    /** @param processing a challenge of it is being validated: the client should wait before polling again */
    record AuthorizationView(Wire.AuthorizationResource resource, String url, String orderUrl, boolean processing) {
    }

    /** POST to an authorization: POST-as-GET, or deactivation (RFC 8555 7.5.2). */
    AuthorizationView authorization(SignedRequest request, String authorizationId) {
        Account account = request.requireAccount();
        AuthorizationRow found = orders.findAuthorization(authorizationId)
                .filter(a -> orders.find(a.orderId()).map(o -> o.profile().equals(request.profile().name())).orElse(false))
                .orElseThrow(() -> notFound("authorization"));
        if (!found.accountId().equals(account.id())) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "this authorization belongs to another account");
        }
        AuthorizationRow row = found;
        if (!request.jws().isPostAsGet()) {
            JsonNode payload = request.payload();
            if (!payload.path("status").asString("").equals("deactivated")) {
                throw AcmeProblem.malformed("an authorization's status can only be changed to \"deactivated\"");
            }
            transaction.executeWithoutResult(s -> {
                if (orders.deactivateAuthorization(authorizationId, clock.instant())) {
                    audit.record("acme.authorization.deactivated", "acme-authorization:" + authorizationId,
                            Outcome.SUCCESS, account.id(), request.client(), Map.of("order", found.orderId()));
                }
            });
            row = orders.findAuthorization(authorizationId).orElseThrow();
        }
        Instant now = clock.instant();
        AuthorizationStatus status = AuthorizationStatus.fromWire(row.status()).asOf(row.expires(), now);
        String profile = request.profile().name();
        var resource = new Wire.AuthorizationResource(new Identifier(row.identifierType(), row.identifierValue()),
                status.wire(), Wire.time(row.expires()), challenges.resourcesOf(profile, row.id()),
                row.wildcard() ? Boolean.TRUE : null);
        boolean processing = resource.challenges().stream().anyMatch(c -> c.status().equals("processing"));
        return new AuthorizationView(resource, urls.authorization(profile, row.id()), urls.order(profile, row.orderId()),
                processing);
    }

    record OrderPage(Wire.OrderList list, @Nullable String next) {
    }

    /** The account's orders list (RFC 8555 7.1.2.1), {@value #PAGE_SIZE} per page, oldest first. */
    OrderPage list(SignedRequest request, Account account, @Nullable String cursor) {
        request.requirePostAsGet();
        Instant afterCreated = null;
        String afterId = null;
        if (cursor != null) {
            int dot = cursor.indexOf('.');
            try {
                afterCreated = Instant.ofEpochMilli(Long.parseLong(cursor.substring(0, dot)));
                afterId = cursor.substring(dot + 1);
            } catch (RuntimeException e) {
                throw AcmeProblem.malformed("the orders cursor is not one this server issued");
            }
        }
        List<OrderRow> page = orders.listForAccount(account.id(), clock.instant(), afterCreated, afterId, PAGE_SIZE + 1);
        String profile = request.profile().name();
        List<String> links = page.stream().limit(PAGE_SIZE).map(o -> urls.order(profile, o.id())).toList();
        String next = null;
        if (page.size() > PAGE_SIZE) {
            OrderRow last = page.get(PAGE_SIZE - 1);
            next = urls.accountOrders(profile, account.id()) + "?cursor=" + last.createdAt().toEpochMilli() + "." + last.id();
        }
        return new OrderPage(new Wire.OrderList(links), next);
    }

    /** Fails orders whose finalization a crash interrupted, so they do not stay {@code processing} for ever. */
    int failInterrupted(Duration after) {
        int failed = 0;
        for (String id : orders.stuckInProcessingSince(clock.instant().minus(after), 100)) {
            if (orders.markFailed(id, problemJson(ProblemType.SERVER_INTERNAL,
                    "issuance was interrupted (the server stopped while finalizing); create a new order"))) {
                failed++;
            }
        }
        return failed;
    }

    /**
     * Upstream delivery: the order stays processing while an ACME client workflow has the external CA issue for the
     * client's CSR; {@link #completeUpstream} or {@link #failUpstream} ends it.
     */
    private void sendUpstream(OrderRow row, List<Identifier> identifiers, byte[] csr, Finalization finalization) {
        Profile.Upstream upstream = finalization.profile().upstream();
        Map<String, String> details = new java.util.HashMap<>(Map.of("upstreamIssuer", upstream.issuer(),
                "names", names(identifiers)));
        addToken(details, finalization.binding());
        addAttempt(details, finalization);
        try {
            transaction.executeWithoutResult(s -> {
                String workflow = workflows.startUpstream(new AcmeWorkflows.UpstreamRequest(upstream.issuer(),
                        upstream.dnsProvider(), upstream.challenge(), identifiers.stream().map(Identifier::value).toList(),
                        csr, "acme-order:" + row.id()));
                orders.setUpstream(row.id(), workflow);
                details.put("workflow", workflow);
                audit(finalization, "acme.order.sent-upstream", row.id(), Outcome.SUCCESS, details);
            });
        } catch (IllegalArgumentException e) {
            log.warn("ACME order {} cannot go upstream: {}", row.id(), e.getMessage());
            transaction.executeWithoutResult(s -> {
                String detail = "profile '" + row.profile() + "' cannot send the order to its upstream CA: "
                        + e.getMessage();
                if (orders.markFailed(row.id(), problemJson(ProblemType.SERVER_INTERNAL, detail))) {
                    details.put("reason", String.valueOf(e.getMessage()));
                    audit(finalization, "acme.order.sent-upstream", row.id(), Outcome.FAILURE, details);
                    if (finalization.renewalAttemptId() != null) {
                        renewals.acmeOrderFailed(finalization.renewalAttemptId(), detail);
                    }
                }
            });
        }
    }

    /** The external CA issued for an order sent upstream: the order becomes valid with that chain. */
    void completeUpstream(String orderId, String chainPem, String issuerName) {
        OrderRow row = orders.find(orderId).orElse(null);
        if (row == null || !row.progress().equals("processing")) {
            return; // already recorded: events may be delivered more than once
        }
        List<X509Certificate> chain = Pem.decodeCertificates(chainPem);
        X509Certificate leaf = chain.get(0);
        String certificateId = Ids.random();
        CertificateRow certificate = new CertificateRow(certificateId, row.id(), row.accountId(), row.profile(),
                UPSTREAM_ISSUER, leaf.getSerialNumber().toString(16), authorityKeyId(leaf), Certificates.sha256Fingerprint(leaf),
                leaf.getSubjectX500Principal().getName(), names(identifiersOf(row)), KeyType.of(leaf.getPublicKey())
                        .configName(), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), chainPem, "",
                "valid", null, null, clock.instant());
        Map<String, String> details = new java.util.HashMap<>(Map.of("certificate", certificateId,
                "serial", certificate.serial(), "names", certificate.names(), "notAfter", certificate.notAfter().toString(),
                "upstreamIssuer", issuerName));
        transaction.executeWithoutResult(s -> {
            certificates.insert(certificate);
            if (!orders.markIssued(row.id(), certificateId)) {
                s.setRollbackOnly();
                return;
            }
            delivery.bindingOf(row.accountId()).ifPresent(binding -> {
                int version = delivery.recordIssued(binding, chain, row.id());
                details.put("version", String.valueOf(version));
                addToken(details, binding);
                if (row.renewalAttemptId() != null) {
                    renewals.acmeOrderIssued(row.renewalAttemptId(), version);
                    details.put("renewalAttempt", row.renewalAttemptId());
                }
            });
            audit.recordForAccount("acme.order.finalized", "acme-order:" + row.id(), Outcome.SUCCESS, row.accountId(),
                    details);
        });
    }

    /** The external CA did not issue for an order sent upstream: the order becomes invalid, saying why. */
    void failUpstream(String orderId, String error) {
        transaction.executeWithoutResult(s -> {
            if (orders.markFailed(orderId, problemJson(ProblemType.SERVER_INTERNAL, "the upstream CA did not issue: "
                    + error))) {
                orders.find(orderId).ifPresent(row -> {
                    audit.recordForAccount("acme.order.finalized", "acme-order:" + orderId, Outcome.FAILURE,
                            row.accountId(), Map.of("reason", error));
                    if (row.renewalAttemptId() != null) {
                        renewals.acmeOrderFailed(row.renewalAttemptId(), "the upstream CA did not issue: " + error);
                    }
                });
            }
        });
    }

    private static String authorityKeyId(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(CertificateId.of(certificate).keyIdentifier());
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * Issues for the CSR and records the certificate — for a token's account as its managed certificate's next version,
     * and the holding renewal attempt's outcome — by compare-and-set on {@code processing}, in one transaction.
     */
    private void issue(OrderRow row, List<Identifier> identifiers, Csr csr, Finalization finalization) {
        Profile profile = finalization.profile();
        String accountId = finalization.accountId();
        List<String> dns = identifiers.stream().filter(i -> i.type().equals(Identifier.DNS)).map(Identifier::value).toList();
        List<String> ips = identifiers.stream().filter(i -> i.type().equals(Identifier.IP)).map(Identifier::value).toList();
        String commonName = commonNames(csr).stream().findFirst().orElse(null);
        Timer.Sample sample = Timer.start();
        IssuedCertificate issued;
        try {
            issued = issuance.issue(new CertificateRequest(csr.publicKey(), commonName, dns, ips,
                    profile.issuanceProfile(), "acme-account:" + accountId, row.notBefore(), row.notAfter()));
        } catch (IssuanceException | IllegalArgumentException e) {
            log.warn("ACME order {} could not be issued: {}", row.id(), e.getMessage());
            transaction.executeWithoutResult(s -> {
                String detail = "the CA refused the request: " + e.getMessage();
                if (orders.markFailed(row.id(), problemJson(ProblemType.BAD_CSR, detail))) {
                    Map<String, String> details = new HashMap<>(Map.of("reason", String.valueOf(e.getMessage())));
                    addAttempt(details, finalization);
                    audit(finalization, "acme.order.finalized", row.id(), Outcome.FAILURE, details);
                    if (finalization.renewalAttemptId() != null) {
                        renewals.acmeOrderFailed(finalization.renewalAttemptId(), detail);
                    }
                }
            });
            return;
        }
        X509Certificate leaf = issued.leaf();
        String certificateId = Ids.random();
        CertificateRow certificate = new CertificateRow(certificateId, row.id(), accountId, profile.name(),
                issued.issuer(), leaf.getSerialNumber().toString(16),
                HexFormat.of().formatHex(CertificateId.of(leaf).keyIdentifier()), Certificates.sha256Fingerprint(leaf),
                leaf.getSubjectX500Principal().getName(), names(identifiers), KeyType.of(csr.publicKey()).configName(),
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), Pem.encodeCertificates(issued.chain()),
                Pem.encodeCertificate(issued.root()), "valid", null, null, clock.instant());
        Map<String, String> details = new java.util.HashMap<>(Map.of("certificate", certificateId,
                "serial", certificate.serial(), "names", certificate.names(), "notAfter", certificate.notAfter().toString()));
        addToken(details, finalization.binding());
        addAttempt(details, finalization);
        transaction.executeWithoutResult(s -> {
            if (!orders.markIssued(row.id(), certificateId)) {
                // The order ended otherwise meanwhile (a held order expired, or its release was handled already).
                log.info("ACME order {} ended before its certificate (serial {}) was recorded; it is not used",
                        row.id(), certificate.serial());
                return;
            }
            certificates.insert(certificate);
            if (finalization.binding() != null) {
                // Token profiles: the certificate is the managed certificate's next version, committed together.
                List<X509Certificate> withRoot = new ArrayList<>(issued.chain());
                withRoot.add(issued.root());
                int version = delivery.recordIssued(finalization.binding(), withRoot, row.id());
                details.put("version", String.valueOf(version));
                if (finalization.renewalAttemptId() != null) {
                    renewals.acmeOrderIssued(finalization.renewalAttemptId(), version);
                }
            }
            audit(finalization, "acme.order.finalized", row.id(), Outcome.SUCCESS, details);
        });
        sample.stop(issuanceTimer);
    }

    private Csr checkCsr(byte[] der, List<Identifier> identifiers, Account account, Profile profile) {
        Csr csr;
        try {
            csr = Csr.parse(der);
        } catch (PkiException e) {
            throw AcmeProblem.of(ProblemType.BAD_CSR, e.getMessage());
        }
        Set<String> requested = new TreeSet<>();
        csr.dnsNames().forEach(n -> requested.add(n.toLowerCase(Locale.ROOT)));
        for (String ip : csr.ipAddresses()) {
            requested.add(Identifier.canonicalIp(ip));
        }
        Set<String> ordered = new TreeSet<>(identifiers.stream().map(Identifier::value).toList());
        for (String cn : commonNames(csr)) {
            if (!ordered.contains(cn.toLowerCase(Locale.ROOT)) && !ordered.contains(canonicalIpOrSelf(cn))) {
                throw AcmeProblem.of(ProblemType.BAD_CSR, "the CSR's common name \"" + cn + "\" is not one of the"
                        + " order's identifiers");
            }
        }
        if (!requested.equals(ordered)) {
            Set<String> extra = new TreeSet<>(requested);
            extra.removeAll(ordered);
            Set<String> missing = new TreeSet<>(ordered);
            missing.removeAll(requested);
            throw AcmeProblem.of(ProblemType.BAD_CSR, "the CSR's names must be exactly the order's identifiers"
                    + (extra.isEmpty() ? "" : "; not in the order: " + extra)
                    + (missing.isEmpty() ? "" : "; missing from the CSR: " + missing));
        }
        KeyType keyType;
        try {
            keyType = KeyType.of(csr.publicKey());
        } catch (PkiException e) {
            throw AcmeProblem.of(ProblemType.BAD_CSR, "the CSR's key is not accepted: " + e.getMessage());
        }
        if (!profile.keyTypes().contains(keyType)) {
            throw AcmeProblem.of(ProblemType.BAD_CSR, "profile '" + profile.name() + "' does not accept " + keyType.configName()
                    + " keys; it accepts " + profile.keyTypes().stream().map(KeyType::configName).sorted().toList());
        }
        if (account.key().sameKey(csr.publicKey())) {
            throw AcmeProblem.of(ProblemType.BAD_CSR, "the CSR's key is the account key; use a separate key for the"
                    + " certificate");
        }
        return csr;
    }

    private static List<String> commonNames(Csr csr) {
        if (csr.subject().isEmpty()) {
            return List.of();
        }
        try {
            return new LdapName(csr.subject()).getRdns().stream().filter(r -> r.getType().equalsIgnoreCase("CN"))
                    .map(Rdn::getValue).map(String::valueOf).toList();
        } catch (InvalidNameException e) {
            throw AcmeProblem.of(ProblemType.BAD_CSR, "the CSR's subject cannot be read: " + e.getMessage());
        }
    }

    private static String canonicalIpOrSelf(String text) {
        try {
            return Identifier.ip(text).value();
        } catch (AcmeProblem e) {
            return text;
        }
    }

    private static void addAttempt(Map<String, String> details, Finalization finalization) {
        if (finalization.renewalAttemptId() != null) {
            details.put("renewalAttempt", finalization.renewalAttemptId());
        }
    }

    /** An audit event of a finalization: the client's when it came from a request, else the server's own work. */
    private void audit(Finalization finalization, String action, String orderId, Outcome outcome,
            Map<String, String> details) {
        if (finalization.client() != null) {
            audit.record(action, "acme-order:" + orderId, outcome, finalization.accountId(), finalization.client(),
                    details);
        } else {
            audit.recordForAccount(action, "acme-order:" + orderId, outcome, finalization.accountId(), details);
        }
    }

    private static void addToken(Map<String, String> details, @Nullable TokenBinding binding) {
        if (binding != null) {
            details.put("token", binding.keyId());
            details.put("managedCertificate", binding.managedCertificateId());
        }
    }

    /**
     * @param binding in a token profile, the account's certificate token: only its managed certificate's names
     *     may be ordered
     */
    private List<Identifier> identifiers(@Nullable JsonNode node, Profile profile, @Nullable TokenBinding binding) {
        Set<String> scope = binding == null ? null : Set.copyOf(delivery.scope(binding));
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw AcmeProblem.malformed("\"identifiers\" must be a non-empty array");
        }
        if (node.size() > MAX_IDENTIFIERS) {
            throw AcmeProblem.of(ProblemType.REJECTED_IDENTIFIER, "an order may have at most " + MAX_IDENTIFIERS
                    + " identifiers; this one has " + node.size());
        }
        Set<Identifier> result = new LinkedHashSet<>();
        List<Subproblem> problems = new ArrayList<>();
        for (JsonNode entry : node) {
            if (!entry.isObject() || !entry.path("type").isString() || !entry.path("value").isString()) {
                throw AcmeProblem.malformed("each identifier must be an object with string \"type\" and \"value\"");
            }
            String type = entry.get("type").asString();
            String value = entry.get("value").asString();
            Identifier identifier;
            try {
                identifier = Identifier.of(type, value);
            } catch (AcmeProblem e) {
                problems.add(new Subproblem(e.type(), e.detail(), new Identifier(type, abbreviate(value))));
                continue;
            }
            java.util.Optional<String> refusal = profile.refusal(identifier);
            if (refusal.isEmpty() && scope != null && !scope.contains(identifier.value())) {
                refusal = java.util.Optional.of(identifier.value() + " is outside the scope of certificate token "
                        + binding.keyId() + " (" + delivery.describeScope(binding) + ")");
            }
            refusal.ifPresentOrElse(
                    reason -> problems.add(new Subproblem(ProblemType.REJECTED_IDENTIFIER, reason, identifier)),
                    () -> result.add(identifier));
        }
        if (problems.size() == 1) {
            Subproblem only = problems.get(0);
            throw AcmeProblem.compound(only.type(), only.detail(), problems);
        }
        if (!problems.isEmpty()) {
            ProblemType type = problems.stream().map(Subproblem::type).distinct().count() == 1
                    ? problems.get(0).type() : ProblemType.COMPOUND;
            throw AcmeProblem.compound(type, problems.size() + " identifiers cannot be ordered: " + problems.stream()
                    .map(p -> p.identifier().value()).toList(), problems);
        }
        return List.copyOf(result);
    }

    private @Nullable String replaces(JsonNode node, Account account, List<Identifier> identifiers) {
        if (!node.isString()) {
            throw AcmeProblem.malformed("\"replaces\" must be an ARI certificate id string");
        }
        CertificateId id = CertificateId.parse(node.asString());
        CertificateRow replaced = certificates.findBySerial(id.serial().toString(16))
                .filter(c -> c.authorityKeyId().equals(HexFormat.of().formatHex(id.keyIdentifier())))
                .orElseThrow(() -> AcmeProblem.malformed("\"replaces\" names a certificate this server did not issue"));
        if (!replaced.accountId().equals(account.id())) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "\"replaces\" names a certificate of another account");
        }
        Set<String> old = Set.of(replaced.names().split(","));
        if (identifiers.stream().noneMatch(i -> old.contains(i.value()))) {
            throw AcmeProblem.malformed("the order shares no identifier with the certificate it replaces");
        }
        if (orders.replacementExists(id.text())) {
            throw AcmeProblem.of(ProblemType.ALREADY_REPLACED, "another order already replaces certificate " + id.text());
        }
        return id.text();
    }

    private void checkValidityWindow(@Nullable Instant notBefore, @Nullable Instant notAfter, Profile profile,
            Instant now) {
        if (notAfter != null && !notAfter.isAfter(now)) {
            throw AcmeProblem.malformed("\"notAfter\" is in the past");
        }
        if (notBefore != null && notAfter != null && !notAfter.isAfter(notBefore)) {
            throw AcmeProblem.malformed("\"notAfter\" must be after \"notBefore\"");
        }
        if (notBefore != null && notBefore.isAfter(now.plus(settings.orderLifetime()))) {
            throw AcmeProblem.malformed("\"notBefore\" is more than " + settings.orderLifetime().toDays()
                    + " days ahead");
        }
        Instant start = notBefore == null || notBefore.isBefore(now) ? now : notBefore;
        if (notAfter != null && Duration.between(start, notAfter).compareTo(profile.validity()) > 0) {
            throw AcmeProblem.malformed("the requested validity is longer than profile '" + profile.name()
                    + "' allows (" + profile.validity().toDays() + " days)");
        }
    }

    private static @Nullable Instant time(JsonNode payload, String field) {
        JsonNode node = payload.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asString()).toInstant();
        } catch (DateTimeParseException e) {
            throw AcmeProblem.malformed("\"" + field + "\" must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z");
        }
    }

    private OrderRow ownOrder(SignedRequest request, String orderId) {
        OrderRow row = orders.find(orderId).filter(o -> o.profile().equals(request.profile().name()))
                .orElseThrow(() -> notFound("order"));
        if (!row.accountId().equals(request.requireAccount().id())) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "this order belongs to another account");
        }
        return row;
    }

    /** An order as operators see it in a list. */
    record OrderSummary(String id, String accountId, String profile, List<String> identifiers, String status,
            Instant createdAt, Instant expires) {
    }

    /** One step of an order's timeline; {@code outcome} is success, failure or pending. */
    record TimelineStep(String step, String outcome, @Nullable Instant at, String detail) {
    }

    record OrderTimeline(OrderSummary order, List<TimelineStep> steps, @Nullable String error) {
    }

    /** The newest orders of every account, for operators. */
    List<OrderSummary> newest(int limit) {
        List<OrderRow> rows = orders.newest(limit);
        Map<String, List<AuthorizationRow>> byOrder = new HashMap<>();
        orders.authorizationsOf(rows.stream().map(OrderRow::id).toList())
                .forEach(a -> byOrder.computeIfAbsent(a.orderId(), k -> new ArrayList<>()).add(a));
        Instant now = clock.instant();
        return rows.stream().map(r -> summary(r, byOrder.getOrDefault(r.id(), List.of()), now)).toList();
    }

    /**
     * Where an order stands for operators: created, each authorization with its challenges, finalize, and the
     * certificate or the error that ended it.
     */
    Optional<OrderTimeline> timeline(String id) {
        Optional<OrderRow> found = orders.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        OrderRow row = found.get();
        List<AuthorizationRow> authorizations = orders.authorizationsOf(row.id());
        Instant now = clock.instant();
        OrderSummary summary = summary(row, authorizations, now);
        List<TimelineStep> steps = new ArrayList<>();
        steps.add(new TimelineStep("order created", "success", row.createdAt(), String.join(", ",
                summary.identifiers()) + " in profile " + row.profile() + " by account " + row.accountId()));
        for (AuthorizationRow a : authorizations) {
            String status = AuthorizationStatus.fromWire(a.status()).asOf(a.expires(), now).wire();
            List<ChallengeRow> offered = challenges.of(a.id());
            List<String> details = offered.stream().map(c -> c.type() + ": " + c.status()
                    + (c.error() == null ? "" : " (" + problemDetail(c.error()) + ")")).toList();
            Instant at = offered.stream().map(ChallengeRow::validatedAt).filter(Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(null);
            steps.add(new TimelineStep("authorization " + a.identifierType() + " " + (a.wildcard() ? "*." : "")
                    + a.identifierValue() + ": " + status, outcome(status), at,
                    details.isEmpty() ? "no challenge: authorized without one" : String.join("; ", details)));
        }
        Optional<Instant> finalizedAt = orders.finalizedAt(row.id());
        if (finalizedAt.isPresent()) {
            steps.add(new TimelineStep("finalize", "success", finalizedAt.get(), "CSR SHA-256 " + row.csrSha256()));
        } else if (summary.status().equals("ready")) {
            steps.add(new TimelineStep("finalize", "pending", null, "waiting for the client to send its CSR"));
        }
        String error = row.error() == null ? null : problemDetail(row.error());
        if (row.certificateId() != null) {
            Optional<CertificateRow> certificate = certificates.find(row.certificateId());
            steps.add(new TimelineStep("issued", "success", certificate.map(CertificateRow::createdAt).orElse(null),
                    certificate.map(c -> "serial " + c.serial() + ", valid until " + c.notAfter()
                            + (c.issuer().equals(UPSTREAM_ISSUER) ? ", issued by the external CA" : ""))
                            .orElse("certificate " + row.certificateId())));
        } else if (row.progress().equals("failed")) {
            steps.add(new TimelineStep("failed", "failure", null, error == null ? "no error recorded" : error));
        } else if (row.held()) {
            steps.add(new TimelineStep("awaiting change approval", "pending", null, "held by renewal attempt "
                    + row.renewalAttemptId() + ": the certificate is issued once its change record is approved and"
                    + " the next renewal sweep releases it"));
        } else if (row.progress().equals("processing")) {
            steps.add(new TimelineStep("issuing", "pending", null, "the certificate is being issued"));
        } else if (summary.status().equals("invalid")) {
            steps.add(new TimelineStep("stopped", "failure", null, row.expires().isAfter(now)
                    ? "an authorization failed, so the order can never be finalized"
                    : "the order expired at " + row.expires() + " before it was finalized"));
        }
        return Optional.of(new OrderTimeline(summary, steps, error));
    }

    /** How many orders each of those accounts placed; accounts without orders are absent. */
    Map<String, Long> countByAccount(List<String> accountIds) {
        return orders.countByAccount(accountIds);
    }

    private OrderSummary summary(OrderRow row, List<AuthorizationRow> authorizations, Instant now) {
        return new OrderSummary(row.id(), row.accountId(), row.profile(),
                identifiersOf(row).stream().map(Identifier::value).toList(),
                status(row, authorizations, now).wire(), row.createdAt(), row.expires());
    }

    private static String outcome(String status) {
        return switch (status) {
            case "valid" -> "success";
            case "pending" -> "pending";
            default -> "failure";
        };
    }

    /** A stored problem document in words: its detail, or its type. */
    private String problemDetail(String problemJson) {
        JsonNode problem = json.readTree(problemJson);
        return problem.path("detail").asString(problem.path("type").asString(problemJson));
    }

    private OrderStatus status(OrderRow row, List<AuthorizationRow> authorizations, Instant now) {
        OrderStates.Progress progress = OrderStates.Progress.valueOf(row.progress().toUpperCase(Locale.ROOT));
        return OrderStates.status(progress, row.expires(), authorizations.stream()
                .map(a -> AuthorizationStatus.fromWire(a.status()).asOf(a.expires(), now)).toList(), now);
    }

    private OrderView view(OrderRow row, List<AuthorizationRow> authorizations, Instant now) {
        OrderStatus status = status(row, authorizations, now);
        String profile = row.profile();
        JsonNode error = row.error() == null ? null : json.readTree(row.error());
        var resource = new Wire.OrderResource(status.wire(), Wire.time(row.expires()), identifiersOf(row),
                Wire.time(row.notBefore()), Wire.time(row.notAfter()), error,
                authorizations.stream().map(a -> urls.authorization(profile, a.id())).toList(),
                urls.finalize(profile, row.id()),
                row.certificateId() == null ? null : urls.certificate(profile, row.certificateId()), row.replaces(),
                profile);
        return new OrderView(resource, urls.order(profile, row.id()), status == OrderStatus.PROCESSING,
                status == OrderStatus.PROCESSING && row.held());
    }

    private List<Identifier> identifiersOf(OrderRow row) {
        return json.readValue(row.identifiers(), new TypeReference<List<Identifier>>() { });
    }

    private String problemJson(ProblemType type, String detail) {
        return json.writeValueAsString(Map.of("type", type.urn(), "detail", detail, "status", type.status()));
    }

    private static String names(List<Identifier> identifiers) {
        return String.join(",", identifiers.stream().map(Identifier::value).toList());
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String abbreviate(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "…" : text;
    }

    static AcmeProblem notFound(String what) {
        return AcmeProblem.withStatus(ProblemType.MALFORMED, 404, "no such " + what + " in this directory");
    }
}
