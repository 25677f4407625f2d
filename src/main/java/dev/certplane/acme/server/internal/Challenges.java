package dev.certplane.acme.server.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.AuthorizationStatus;
import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.KeyAuthorization;
import dev.certplane.acme.protocol.ProblemType;
import dev.certplane.acme.server.internal.store.ChallengeStore;
import dev.certplane.acme.server.internal.store.ChallengeStore.ChallengeRow;
import dev.certplane.acme.server.internal.store.OrderStore;
import dev.certplane.acme.server.internal.store.OrderStore.AuthorizationRow;
import dev.certplane.acme.server.internal.store.OrderStore.OrderRow;
import dev.certplane.acme.server.internal.validation.CaaPolicy;
import dev.certplane.acme.server.internal.validation.ChallengeCheck;
import dev.certplane.acme.server.internal.validation.ChallengeValidator;
import dev.certplane.acme.server.internal.validation.ValidationResult;
import dev.certplane.acme.server.internal.validation.ValidationSettings;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Challenges (RFC 8555 7.5.1, 8): offered with each authorization of a challenge profile, answered by the
 * client, then validated as restart-safe work. Answering commits the challenge as {@code processing}; this
 * replica starts validating at once, and a recurring task hands out any that a stopped replica left behind.
 * Whoever validates first holds a lease on the row; the outcome is recorded by compare-and-set with its audit
 * event, and the authorization and order follow.
 */
@Service
class Challenges implements DisposableBean {

    /** A validation interrupted this often (the replica stopped each time) fails rather than retrying for ever. */
    static final int MAX_ATTEMPTS = 3;
    /** How long an answered challenge may wait for its first validation before another replica takes it. */
    static final Duration UNCLAIMED_GRACE = Duration.ofSeconds(30);
    /** How old a validation may be before CAA is looked up again at finalization. */
    static final Duration CAA_RECHECK_AFTER = Duration.ofHours(8);
    /** Seconds a client should wait before polling a challenge or authorization that is being validated. */
    static final String RETRY_AFTER = "1";

    private static final Logger log = LoggerFactory.getLogger(Challenges.class);

    private final ChallengeStore challenges;
    private final OrderStore orders;
    private final Accounts accounts;
    private final ProfileCatalog profiles;
    private final ChallengeValidator validator;
    private final AcmeUrls urls;
    private final AcmeAudit audit;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Duration lease;
    private final Map<ChallengeType, ExecutorService> workers = new EnumMap<>(ChallengeType.class);

    Challenges(ChallengeStore challenges, OrderStore orders, Accounts accounts, ProfileCatalog profiles,
            ChallengeValidator validator, ValidationSettings settings, AcmeUrls urls, AcmeAudit audit, JsonMapper json,
            PlatformTransactionManager transactions, Clock clock) {
        this.challenges = challenges;
        this.orders = orders;
        this.accounts = accounts;
        this.profiles = profiles;
        this.validator = validator;
        this.urls = urls;
        this.audit = audit;
        this.json = json;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.lease = settings.deadline().plusSeconds(30);
        for (ChallengeType type : ChallengeType.values()) {
            workers.put(type, workers(type, validator.concurrency(type)));
        }
    }

    /** The pending challenges a new authorization offers for {@code identifier}. */
    static List<ChallengeRow> offer(String authorizationId, Identifier identifier) {
        return ChallengeType.offeredFor(identifier).stream()
                .map(type -> new ChallengeRow(Ids.random(), authorizationId, type.wire(), Ids.random(), "pending", null,
                        null, 0))
                .toList();
    }

    void insert(List<ChallengeRow> offered, Instant now) {
        challenges.insert(offered, now);
    }

    List<Wire.ChallengeResource> resourcesOf(String profile, String authorizationId) {
        return challenges.ofAuthorization(authorizationId).stream().map(c -> resource(profile, c)).toList();
    }

    List<ChallengeRow> of(String authorizationId) {
        return challenges.ofAuthorization(authorizationId);
    }

    record ChallengeView(Wire.ChallengeResource resource, String authorizationUrl) {

        boolean processing() {
            return resource.status().equals("processing");
        }
    }

    /**
     * A POST to a challenge: POST-as-GET reads it; any JSON object (RFC 8555 7.5.1 sends {@code {}}) answers it,
     * which starts validation. Answering again, or answering a challenge already decided, returns it as it is.
     */
    ChallengeView respond(SignedRequest request, String challengeId) {
        Account account = request.requireAccount();
        String profile = request.profile().name();
        ChallengeRow challenge = challenges.find(challengeId).orElseThrow(() -> Orders.notFound("challenge"));
        AuthorizationRow authorization = orders.findAuthorization(challenge.authorizationId())
                .filter(a -> orders.find(a.orderId()).map(o -> o.profile().equals(profile)).orElse(false))
                .orElseThrow(() -> Orders.notFound("challenge"));
        if (!authorization.accountId().equals(account.id())) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "this challenge belongs to another account");
        }
        if (request.jws().isPostAsGet() || !challenge.status().equals("pending")) {
            return view(profile, challenge);
        }
        request.payload(); // RFC 8555 7.5.1: the answer is a JSON object, normally {}
        Instant now = clock.instant();
        AuthorizationStatus status = AuthorizationStatus.fromWire(authorization.status()).asOf(authorization.expires(), now);
        if (status != AuthorizationStatus.PENDING) {
            throw AcmeProblem.malformed("the authorization is " + status.wire()
                    + "; only a pending authorization's challenges can be answered");
        }
        boolean started = Boolean.TRUE.equals(transaction.execute(s -> {
            if (!challenges.start(authorization.id(), challengeId, now)) {
                s.setRollbackOnly();
                return false;
            }
            audit.record("acme.challenge.answered", "acme-challenge:" + challengeId, Outcome.SUCCESS, account.id(),
                    request.client(), Map.of("type", challenge.type(), "identifier", identifierOf(authorization).value(),
                            "authorization", authorization.id(), "order", authorization.orderId()));
            return true;
        }));
        ChallengeRow current = challenges.find(challengeId).orElseThrow();
        if (!started && current.status().equals("pending")) {
            throw AcmeProblem.malformed("another challenge of this authorization was answered first; an authorization"
                    + " is validated with one challenge");
        }
        if (started) {
            submit(challengeId, ChallengeType.fromWire(challenge.type()).orElseThrow());
        }
        return view(profile, current);
    }

    /** Validates one answered challenge, if no other replica is doing so, and records the outcome. */
    void validate(String challengeId) {
        Instant now = clock.instant();
        if (!challenges.claim(challengeId, now, now.plus(lease))) {
            return;
        }
        ChallengeRow challenge = challenges.find(challengeId).orElseThrow();
        AuthorizationRow authorization = orders.findAuthorization(challenge.authorizationId()).orElseThrow();
        OrderRow order = orders.find(authorization.orderId()).orElseThrow();
        Identifier identifier = identifierOf(authorization);
        ValidationResult result;
        Optional<Account> account = accounts.find(authorization.accountId());
        Optional<Profile> profile = profiles.find(order.profile());
        if (challenge.attempts() > MAX_ATTEMPTS) {
            result = new ValidationResult(false, ProblemType.SERVER_INTERNAL, "validation was interrupted "
                    + MAX_ATTEMPTS + " times (the server stopped while validating); create a new order", List.of());
        } else if (account.isEmpty() || !account.get().isValid() || profile.isEmpty()) {
            result = new ValidationResult(false, ProblemType.UNAUTHORIZED, account.isEmpty() || !account.get().isValid()
                    ? "the account is no longer valid" : "profile '" + order.profile() + "' no longer exists", List.of());
        } else {
            KeyAuthorization keyAuthorization = new KeyAuthorization(challenge.token(), account.get().key().thumbprint());
            CaaPolicy caa = profile.get().caa();
            result = validator.validate(new ChallengeCheck(identifier, ChallengeType.fromWire(challenge.type()).orElseThrow(),
                    keyAuthorization, urls.account(order.profile(), account.get().id()), caa));
        }
        record(challenge, authorization, identifier, result);
    }

    /**
     * CAA must hold when the certificate is issued, not only when the name was validated: a validation older than
     * {@link #CAA_RECHECK_AFTER} has its CAA records looked up again (CA/Browser Forum Baseline Requirements
     * 3.2.2.8 allow at most 8 hours between the check and issuance).
     *
     * @throws AcmeProblem {@code caa} if the records no longer allow this CA
     */
    void recheckCaa(Profile profile, List<AuthorizationRow> authorizations, Account account) {
        if (profile.authMode() != AuthMode.CHALLENGE || !profile.caa().enabled()) {
            return;
        }
        Instant cutoff = clock.instant().minus(CAA_RECHECK_AFTER);
        for (AuthorizationRow authorization : authorizations) {
            Optional<ChallengeRow> used = challenges.ofAuthorization(authorization.id()).stream()
                    .filter(c -> c.status().equals("valid") && c.validatedAt() != null && c.validatedAt().isBefore(cutoff))
                    .findFirst();
            if (used.isEmpty()) {
                continue;
            }
            ValidationResult result = validator.checkCaa(new ChallengeCheck(identifierOf(authorization),
                    ChallengeType.fromWire(used.get().type()).orElseThrow(),
                    new KeyAuthorization(used.get().token(), account.key().thumbprint()),
                    urls.account(profile.name(), account.id()), profile.caa()));
            if (!result.valid()) {
                throw AcmeProblem.of(result.problem(), result.detail() + " (looked up again at finalization because "
                        + identifierOf(authorization).value() + " was validated more than "
                        + CAA_RECHECK_AFTER.toHours() + " hours ago)");
            }
        }
    }

    /** Hands out challenges a stopped replica left in processing; run by one replica at a time. */
    int recover() {
        Instant now = clock.instant();
        List<String> abandoned = challenges.abandoned(now, now.minus(UNCLAIMED_GRACE), 100);
        for (String id : abandoned) {
            challenges.find(id).flatMap(c -> ChallengeType.fromWire(c.type())).ifPresent(type -> submit(id, type));
        }
        return abandoned.size();
    }

    @Override
    public void destroy() {
        workers.values().forEach(ExecutorService::shutdownNow);
    }

    private void record(ChallengeRow challenge, AuthorizationRow authorization, Identifier identifier,
            ValidationResult result) {
        String error = result.valid() ? null : json.writeValueAsString(Map.of("type", result.problem().urn(),
                "detail", result.detail(), "status", result.problem().status()));
        Map<String, String> details = new HashMap<>(Map.of("type", challenge.type(), "identifier", identifier.value(),
                "authorization", authorization.id(), "order", authorization.orderId(),
                "steps", abbreviate(String.join("\n", result.record()), 4000)));
        if (!result.valid()) {
            details.put("problem", result.problem().urn());
            details.put("detail", abbreviate(result.detail(), 2000));
        }
        transaction.executeWithoutResult(s -> {
            if (challenges.settle(challenge.id(), authorization.id(), result.valid(), error, clock.instant())) {
                audit.recordForAccount("acme.challenge.validated", "acme-challenge:" + challenge.id(),
                        result.valid() ? Outcome.SUCCESS : Outcome.FAILURE, authorization.accountId(), details);
            }
        });
        log.info("{} for {} is {}: {}", challenge.type(), identifier.value(), result.valid() ? "valid" : "invalid",
                result.detail());
    }

    private void submit(String challengeId, ChallengeType type) {
        try {
            workers.get(type).execute(() -> {
                try {
                    validate(challengeId);
                } catch (RuntimeException e) {
                    // The lease runs out and the recovery task hands the challenge out again.
                    log.warn("validating challenge {} failed; it will be retried", challengeId, e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("validation queue for {} is full; challenge {} waits for the recovery task", type.wire(), challengeId);
        }
    }

    private ChallengeView view(String profile, ChallengeRow challenge) {
        return new ChallengeView(resource(profile, challenge),
                urls.authorization(profile, challenge.authorizationId()));
    }

    private Wire.ChallengeResource resource(String profile, ChallengeRow c) {
        JsonNode error = c.error() == null ? null : json.readTree(c.error());
        return new Wire.ChallengeResource(c.type(), urls.challenge(profile, c.id()), c.status(), c.token(),
                Wire.time(c.validatedAt()), error);
    }

    private static Identifier identifierOf(AuthorizationRow authorization) {
        String value = authorization.wildcard() ? "*." + authorization.identifierValue() : authorization.identifierValue();
        return new Identifier(authorization.identifierType(), value);
    }

    private static ExecutorService workers(ChallengeType type, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(1000), runnable -> {
                    Thread thread = new Thread(runnable, "acme-validation-" + type.wire() + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private static String abbreviate(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }
}
