package dev.certplane.acme.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.certplane.acme.client.internal.CaAccounts;
import dev.certplane.acme.client.internal.IssuerCredentials;
import dev.certplane.acme.client.internal.store.IssuerStore;
import dev.certplane.acme.client.internal.store.IssuerStore.IssuerRow;
import dev.certplane.pki.KeyType;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ACME issuers Certplane orders from: each with an account key generated here and sealed at rest, its
 * account registered with the CA when the issuer is added (or again on request, after a failure).
 */
@Service
public class AcmeIssuers {

    private final IssuerStore store;
    private final CaAccounts accounts;
    private final IssuerCredentials credentials;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final Clock clock;

    AcmeIssuers(IssuerStore store, CaAccounts accounts, IssuerCredentials credentials, ApplicationEventPublisher events,
            PlatformTransactionManager transactions, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.credentials = credentials;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * Stores the issuer with a new P-256 account key, then registers the account with the CA; the result's
     * status says whether the CA accepted it, and {@code lastError} what it answered if not.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     * @throws IssuerNameTakenException if another issuer has the name (in any letter case)
     */
    public AcmeIssuer create(NewAcmeIssuer input) {
        IssuerPreset preset = IssuerPreset.find(input.preset()).orElseThrow(() -> new IllegalArgumentException(
                "preset '" + input.preset() + "' is not one of " + IssuerPreset.ALL.stream().map(IssuerPreset::id).toList()));
        String directoryUrl = directoryUrl(input.directoryUrl() != null ? input.directoryUrl() : preset.directoryUrl());
        boolean hasEab = blank(input.eabKid()) != null || blank(input.eabHmacKey()) != null;
        if (hasEab && (blank(input.eabKid()) == null || blank(input.eabHmacKey()) == null)) {
            throw new IllegalArgumentException("eabKid and eabHmacKey go together; give both or neither");
        }
        if (preset.eabRequired() && !hasEab) {
            throw new IllegalArgumentException(preset.name() + " requires external account binding: give eabKid and"
                    + " eabHmacKey from the CA's console");
        }
        byte[] hmacKey = hasEab ? hmacKey(input.eabHmacKey()) : null;
        String contact = contact(blank(input.contact()));
        String trustBundle = blank(input.trustBundlePem());
        if (trustBundle != null) {
            CaAccounts.checkTrustBundle(trustBundle);
        }
        String id = Ids.random();
        KeyPair key = KeyType.EC_P256.generate();
        Instant now = clock.instant();
        IssuerRow row = new IssuerRow(id, input.name().trim(), preset.id(), directoryUrl, contact, blank(input.eabKid()),
                hmacKey == null ? null : credentials.sealEabHmacKey(id, hmacKey), blank(input.preferredChain()),
                blank(input.acmeProfile()), trustBundle, credentials.sealAccountKey(id, key),
                Base64.getEncoder().encodeToString(key.getPublic().getEncoded()), null, "registering", null, now, now);
        try {
            transaction.executeWithoutResult(s -> {
                if (store.nameTaken(row.name())) {
                    throw new IssuerNameTakenException(row.name());
                }
                store.insert(row);
                audit("acme-issuer.created", id, Outcome.SUCCESS, Map.of("name", row.name(), "preset", row.preset(),
                        "directoryUrl", directoryUrl));
            });
        } catch (DuplicateKeyException e) {
            throw new IssuerNameTakenException(row.name());
        }
        return register(id);
    }

    /** Registers the issuer's account with the CA (again): after a failure, or a restart in the middle of it. */
    public AcmeIssuer register(String id) {
        IssuerRow row = store.find(id).orElseThrow(() -> new IllegalArgumentException("no ACME issuer " + id));
        CaAccounts.Result result = accounts.register(row.directoryUrl(), row.trustBundlePem(),
                credentials.accountKey(row), row.contact(), row.eabKid(), credentials.eabHmacKey(row));
        transaction.executeWithoutResult(s -> {
            store.registered(id, result.accountUrl(), result.error(), clock.instant());
            Map<String, String> details = new HashMap<>(Map.of("directoryUrl", row.directoryUrl()));
            if (result.accountUrl() != null) {
                details.put("accountUrl", result.accountUrl());
            } else {
                details.put("error", result.error());
            }
            audit("acme-issuer.registered", id, result.accountUrl() != null ? Outcome.SUCCESS : Outcome.FAILURE, details);
        });
        return view(store.find(id).orElseThrow());
    }

    public List<AcmeIssuer> list() {
        return store.all().stream().map(AcmeIssuers::view).toList();
    }

    public Optional<AcmeIssuer> find(String id) {
        return store.find(id).map(AcmeIssuers::view);
    }

    public boolean delete(String id) {
        return Boolean.TRUE.equals(transaction.execute(s -> {
            Optional<IssuerRow> row = store.find(id);
            if (row.isEmpty() || !store.delete(id)) {
                return false;
            }
            audit("acme-issuer.deleted", id, Outcome.SUCCESS, Map.of("name", row.get().name()));
            return true;
        }));
    }

    private void audit(String action, String id, Outcome outcome, Map<String, String> details) {
        events.publishEvent(AuditRecord.of(clock, action, "acme-issuer:" + id, outcome, details));
    }

    private static AcmeIssuer view(IssuerRow row) {
        return new AcmeIssuer(row.id(), row.name(), row.preset(), row.directoryUrl(), row.contact(), row.eabKid(),
                row.eabHmacSealed() != null, row.preferredChain(), row.acmeProfile(), row.trustBundlePem() != null,
                row.accountUrl(), row.status(), row.lastError(), row.createdAt(), row.updatedAt());
    }

    private static String directoryUrl(@Nullable String text) {
        if (blank(text) == null) {
            throw new IllegalArgumentException("directoryUrl is required for a custom issuer");
        }
        try {
            URI uri = new URI(text.trim());
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("directoryUrl '" + text + "' must be an https URL with a host and no"
                        + " user information (RFC 8555 6.1: ACME runs over HTTPS)");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("directoryUrl '" + text + "' is not a URL: " + e.getReason(), e);
        }
    }

    private static @Nullable String contact(@Nullable String email) {
        if (email != null && (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+") || email.length() > 320)) {
            throw new IllegalArgumentException("contact '" + email + "' is not an e-mail address");
        }
        return email == null ? null : email.toLowerCase(Locale.ROOT);
    }

    private static byte[] hmacKey(String text) {
        byte[] key;
        try {
            key = Base64.getUrlDecoder().decode(text.trim().replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("eabHmacKey is not base64url, as CAs hand it out", e);
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("eabHmacKey is " + key.length + " bytes; a CA's MAC key is at least 16");
        }
        return key;
    }

    private static @Nullable String blank(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
