package dev.certplane.acme.server.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.ExternalAccountBinding;
import dev.certplane.acme.protocol.FlattenedJws;
import dev.certplane.acme.protocol.Jwk;
import dev.certplane.acme.protocol.JwsVerifier;
import dev.certplane.acme.protocol.ProblemType;
import dev.certplane.acme.server.internal.store.AccountStore;
import dev.certplane.acme.server.internal.store.AccountStore.AccountRow;
import dev.certplane.delivery.BindingKey;
import dev.certplane.delivery.Delivery;
import dev.certplane.delivery.DeliveryRefusedException;
import dev.certplane.delivery.TokenBinding;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;

/** ACME accounts (RFC 8555 7.3): registration, lookup, update, deactivation and key rollover. */
@Service
class Accounts {

    /** Parsed JWKs by their stored JSON: parsing and thumbprinting a key on every request is measurable. */
    private static final int KEY_CACHE_LIMIT = 10_000;

    private final AccountStore store;
    private final AcmeSettings settings;
    private final AcmeAudit audit;
    private final AcmeUrls urls;
    private final Delivery delivery;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Map<String, Jwk> keys = new ConcurrentHashMap<>();

    Accounts(AccountStore store, AcmeSettings settings, AcmeAudit audit, AcmeUrls urls, Delivery delivery,
            PlatformTransactionManager transactions, Clock clock) {
        this.delivery = delivery;
        this.transaction = new TransactionTemplate(transactions);
        this.store = store;
        this.settings = settings;
        this.audit = audit;
        this.urls = urls;
        this.clock = clock;
    }

    record Registration(Account account, boolean created) {
    }

    /** An account as operators see it in a list. */
    record AccountSummary(String id, String profile, String status, List<String> contact, Instant createdAt) {
    }

    /** The newest accounts of every profile, for operators. */
    List<AccountSummary> newest(int limit) {
        return store.newest(limit).stream()
                .map(r -> new AccountSummary(r.id(), r.profile(), r.status(), r.contact(), r.createdAt())).toList();
    }

    Optional<Account> find(String id) {
        return store.find(id).map(this::account);
    }

    /**
     * Not one transaction: on PostgreSQL a failed insert aborts its transaction, so the lookup after losing a
     * race for the same key must run outside it.
     */
    Registration register(SignedRequest request) {
        Jwk key = request.key();
        JsonNode payload = request.payload();
        Optional<AccountRow> existing = store.findByKey(request.profile().name(), key.thumbprint());
        if (existing.isPresent()) {
            return new Registration(account(existing.get()), false);
        }
        if (payload.path("onlyReturnExisting").asBoolean(false)) {
            throw AcmeProblem.of(ProblemType.ACCOUNT_DOES_NOT_EXIST, "no account exists for this key in the '"
                    + request.profile().name() + "' directory");
        }
        List<String> contact = payload.has("contact") ? Contacts.parse(payload.get("contact")) : List.of();
        boolean agreed = payload.path("termsOfServiceAgreed").asBoolean(false);
        if (settings.termsOfService() != null && !agreed) {
            throw AcmeProblem.of(ProblemType.USER_ACTION_REQUIRED, "agree to the terms of service at "
                    + settings.termsOfService() + " by sending \"termsOfServiceAgreed\": true (RFC 8555 7.3)");
        }
        ExternalAccountBinding binding = request.profile().authMode() == AuthMode.TOKEN ? verifiedBinding(request)
                : null;
        Instant now = clock.instant();
        AccountRow row = new AccountRow(Ids.random(), request.profile().name(), "valid", key.thumbprint(), key.json(),
                contact, agreed, now);
        try {
            transaction.executeWithoutResult(s -> {
                store.insert(row, request.client().ip());
                Map<String, String> details = new java.util.HashMap<>(Map.of("profile", row.profile(),
                        "contact", String.join(",", contact), "keyThumbprint", key.thumbprint()));
                if (binding != null) {
                    TokenBinding bound = delivery.bind(binding.keyId(), row.id(), request.profile().name(),
                            request.client().ip(), request.client().userAgent());
                    details.put("token", bound.keyId());
                    details.put("managedCertificate", bound.managedCertificateId());
                }
                audit.record("acme.account.registered", "acme-account:" + row.id(), Outcome.SUCCESS, row.id(),
                        request.client(), details);
            });
        } catch (DuplicateKeyException e) {
            // Another request registered the same key a moment ago: that account is the answer.
            return new Registration(account(store.findByKey(request.profile().name(), key.thumbprint()).orElseThrow()),
                    false);
        } catch (DeliveryRefusedException e) {
            // Recorded after the registration rolled back, so no connection is held twice.
            delivery.recordRefusedBinding(binding.keyId(), e.getMessage(), request.client().ip(),
                    request.client().userAgent());
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, e.getMessage());
        }
        return new Registration(account(row), true);
    }

    /**
     * RFC 8555 7.3.4: a token profile requires an external account binding, MACed with a certificate token's
     * HMAC key over the newAccount URL and this account's key.
     */
    private ExternalAccountBinding verifiedBinding(SignedRequest request) {
        JsonNode node = request.payload().get("externalAccountBinding");
        if (node == null || node.isNull()) {
            throw AcmeProblem.of(ProblemType.EXTERNAL_ACCOUNT_REQUIRED, "profile '" + request.profile().name()
                    + "' requires externalAccountBinding: register with a certificate token's key id and HMAC key"
                    + " (certbot --eab-kid/--eab-hmac-key, lego --eab --kid/--hmac; RFC 8555 7.3.4)");
        }
        ExternalAccountBinding binding = ExternalAccountBinding.parse(node);
        BindingKey key = delivery.bindingKey(binding.keyId()).orElseThrow(() -> AcmeProblem.of(
                ProblemType.UNAUTHORIZED, "there is no certificate token with key id \"" + abbreviate(binding.keyId())
                        + "\""));
        try {
            binding.verify(key.hmacKey(), request.jws().url(), request.key());
        } catch (AcmeProblem e) {
            delivery.recordRefusedBinding(binding.keyId(), e.detail(), request.client().ip(), request.client().userAgent());
            throw e;
        }
        return binding;
    }

    private static String abbreviate(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "…" : text;
    }

    /** POST to the account URL: fetch (POST-as-GET), update contacts, agree to terms, or deactivate. */
    @Transactional
    Account update(SignedRequest request, String accountId) {
        Account account = ownAccount(request, accountId);
        if (request.jws().isPostAsGet()) {
            return account;
        }
        JsonNode payload = request.payload();
        Instant now = clock.instant();
        if (payload.has("status")) {
            if (!payload.get("status").isString() || !payload.get("status").asString().equals("deactivated")) {
                throw AcmeProblem.malformed("an account's status can only be changed to \"deactivated\"");
            }
            store.deactivate(account.id(), now);
            audit.record("acme.account.deactivated", "acme-account:" + account.id(), Outcome.SUCCESS, account.id(),
                    request.client(), Map.of());
            return find(account.id()).orElseThrow();
        }
        if (payload.has("contact")) {
            List<String> contact = Contacts.parse(payload.get("contact"));
            store.updateContact(account.id(), contact, now);
            audit.record("acme.account.updated", "acme-account:" + account.id(), Outcome.SUCCESS, account.id(),
                    request.client(), Map.of("contact", String.join(",", contact)));
        }
        if (payload.path("termsOfServiceAgreed").asBoolean(false) && !account.tosAgreed()) {
            store.agreeToTerms(account.id(), now);
        }
        return find(account.id()).orElseThrow();
    }

    /**
     * Key rollover (RFC 8555 7.3.5): the outer JWS is signed by the current key, the inner one by the new key
     * and names the account and its old key.
     */
    @Transactional
    Account changeKey(SignedRequest request) {
        Account account = request.requireAccount();
        FlattenedJws inner = FlattenedJws.parse(request.jws().payload());
        if (inner.jwk() == null) {
            throw AcmeProblem.malformed("the inner JWS of a key change must carry the new key in \"jwk\"");
        }
        JwsVerifier.verify(inner, inner.jwk());
        if (!inner.url().equals(request.jws().url())) {
            throw AcmeProblem.malformed("the inner JWS \"url\" must equal the outer one (RFC 8555 7.3.5)");
        }
        JsonNode payload = inner.payloadObject();
        if (!payload.path("account").isString() || !payload.get("account").asString().equals(request.jws().kid())) {
            throw AcmeProblem.malformed("the inner payload's \"account\" must be the account URL in the outer \"kid\"");
        }
        if (!payload.path("oldKey").isObject()) {
            throw AcmeProblem.malformed("the inner payload needs \"oldKey\", the account's current key as a JWK");
        }
        if (!Jwk.parse(payload.get("oldKey")).thumbprint().equals(account.key().thumbprint())) {
            throw AcmeProblem.malformed("\"oldKey\" is not the account's current key");
        }
        Jwk newKey = inner.jwk();
        if (newKey.thumbprint().equals(account.key().thumbprint())) {
            throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, "the new key is the account's current key");
        }
        Optional<AccountRow> holder = store.findByKey(account.profile(), newKey.thumbprint());
        if (holder.isPresent()) {
            throw conflict(account.profile(), holder.get().id());
        }
        try {
            if (!store.changeKey(account.id(), account.key().thumbprint(), newKey.thumbprint(), newKey.json(),
                    clock.instant())) {
                throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the account's key changed while this request ran");
            }
        } catch (DuplicateKeyException e) {
            throw conflict(account.profile(), store.findByKey(account.profile(), newKey.thumbprint())
                    .map(AccountRow::id).orElse(""));
        }
        audit.record("acme.account.key-changed", "acme-account:" + account.id(), Outcome.SUCCESS, account.id(),
                request.client(), Map.of("oldKeyThumbprint", account.key().thumbprint(),
                        "newKeyThumbprint", newKey.thumbprint()));
        return find(account.id()).orElseThrow();
    }

    /** The account the URL names, if it is the one that signed the request; otherwise {@code unauthorized}. */
    Account ownAccount(SignedRequest request, String accountId) {
        Account account = request.requireAccount();
        if (!account.id().equals(accountId)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "this request is signed by another account");
        }
        return account;
    }

    private AcmeProblem conflict(String profile, String holderId) {
        return AcmeProblem.withStatus(ProblemType.MALFORMED, 409, "another account already uses the new key")
                .at(urls.account(profile, holderId));
    }

    private Account account(AccountRow row) {
        Jwk key = keys.get(row.jwk());
        if (key == null) {
            key = Jwk.fromJson(row.jwk());
            if (keys.size() >= KEY_CACHE_LIMIT) {
                keys.clear();
            }
            keys.put(row.jwk(), key);
        }
        return new Account(row.id(), row.profile(), row.status(), key, row.contact(), row.tosAgreed(), row.createdAt());
    }
}
