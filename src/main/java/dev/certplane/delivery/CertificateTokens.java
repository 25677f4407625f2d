package dev.certplane.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.security.SecureRandom;

import dev.certplane.delivery.internal.store.TokenStore;
import dev.certplane.delivery.internal.store.TokenStore.BindingRow;
import dev.certplane.delivery.internal.store.TokenStore.TokenRow;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.inventory.spi.ProfilePolicy;
import dev.certplane.secrets.SecretBox;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;
import dev.certplane.shared.RequestOrigin;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Certificate tokens for operators: create (the HMAC key is shown once), list, revoke and rotate. A token is
 * scoped to one managed certificate; its HMAC key is sealed with the master key.
 */
@Service
public class CertificateTokens {

    public static final String TYPE = "CERTIFICATE";
    public static final int MAX_ACCOUNTS_LIMIT = 1000;
    public static final Duration MAX_LIFETIME = Duration.ofDays(3650);
    static final String KEY_ID_PREFIX = "cpt_";
    private static final int HMAC_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenStore store;
    private final ManagedCertificates certificates;
    private final ProfilePolicy profiles;
    private final SecretBox secrets;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    CertificateTokens(TokenStore store, ManagedCertificates certificates, ProfilePolicy profiles, SecretBox secrets,
            ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.certificates = certificates;
        this.profiles = profiles;
        this.secrets = secrets;
        this.events = events;
        this.clock = clock;
    }

    /** A token's bound ACME accounts, for its detail view. */
    public record Binding(String accountId, String profile, Instant boundAt, String clientIp,
            @Nullable String userAgent, @Nullable Instant unboundAt) {
    }

    /**
     * @param expiresAt {@code null} for a token that does not expire
     * @param maxAccounts {@code null} for no limit on bound ACME accounts
     * @throws IllegalArgumentException naming what is wrong, or that the managed certificate does not exist
     */
    @Transactional
    public IssuedToken create(String managedCertificateId, String name, @Nullable Instant expiresAt,
            @Nullable Integer maxAccounts) {
        ManagedCertificate managed = certificates.find(managedCertificateId).orElseThrow(
                () -> new IllegalArgumentException("there is no managed certificate " + managedCertificateId));
        if (profiles.tokenDirectory(managed.profile()).isEmpty()) {
            throw new IllegalArgumentException("managed certificate '" + managed.name() + "' is under profile '"
                    + managed.profile() + "', which does not take certificate tokens; use a profile whose auth mode is"
                    + " token");
        }
        String label = name.strip();
        if (label.isEmpty() || label.length() > 200 || label.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("name must be 1 to 200 printable characters");
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("expiresAt must be in the future");
        }
        if (expiresAt != null && expiresAt.isAfter(now.plus(MAX_LIFETIME))) {
            throw new IllegalArgumentException("expiresAt must be within " + MAX_LIFETIME.toDays() + " days");
        }
        if (maxAccounts != null && (maxAccounts < 1 || maxAccounts > MAX_ACCOUNTS_LIMIT)) {
            throw new IllegalArgumentException("maxAccounts must be 1 to " + MAX_ACCOUNTS_LIMIT);
        }
        String id = Ids.random();
        byte[] hmacKey = newHmacKey();
        String actor = RequestOrigin.current().actor();
        TokenRow row = new TokenRow(id, KEY_ID_PREFIX + Ids.random(), TYPE, managed.id(), label,
                secrets.seal(hmacKey, purpose(id)), maxAccounts, actor, now, expiresAt, null, null, null, 0);
        store.insert(row);
        Map<String, String> details = new HashMap<>();
        details.put("keyId", row.keyId());
        details.put("managedCertificate", managed.id());
        details.put("names", String.join(",", managed.names()));
        details.put("expiresAt", String.valueOf(expiresAt));
        details.put("maxAccounts", String.valueOf(maxAccounts));
        audit("certificate-token.created", id, Outcome.SUCCESS, details);
        return new IssuedToken(TokenViews.view(row, now), encode(hmacKey));
    }

    /** Where clients present tokens of this managed certificate: its profile's ACME directory, if it takes tokens. */
    public Optional<String> directoryUrl(CertificateToken token) {
        return certificates.find(token.managedCertificateId()).flatMap(m -> profiles.tokenDirectory(m.profile()));
    }

    public Optional<CertificateToken> find(String id) {
        Instant now = clock.instant();
        return store.find(id).map(row -> TokenViews.view(row, now));
    }

    /** @param managedCertificateId {@code null} for every token */
    public List<CertificateToken> list(@Nullable String managedCertificateId) {
        Instant now = clock.instant();
        return store.list(managedCertificateId).stream().map(row -> TokenViews.view(row, now)).toList();
    }

    public List<Binding> bindings(String tokenId) {
        return store.bindings(tokenId).stream().map(CertificateTokens::binding).toList();
    }

    /**
     * Revokes a token: every ACME account bound to it is refused from the next request on.
     *
     * @return empty if there is no such token
     * @throws TokenStateException if it was revoked already
     */
    @Transactional
    public Optional<CertificateToken> revoke(String id) {
        Optional<TokenRow> row = store.find(id);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        String actor = RequestOrigin.current().actor();
        if (!store.revoke(id, actor, clock.instant())) {
            throw new TokenStateException("certificate token " + row.get().keyId() + " was revoked already at "
                    + row.get().revokedAt());
        }
        audit("certificate-token.revoked", id, Outcome.SUCCESS, Map.of("keyId", row.get().keyId(),
                "managedCertificate", row.get().managedCertificateId(),
                "boundAccountsStopped", String.valueOf(row.get().boundAccounts())));
        return find(id);
    }

    /**
     * Replaces the HMAC key; the key id stays, so clients only need the new key. Accounts bound with the old key
     * keep working unless {@code unbindAccounts} cuts them off too (for a leaked key).
     *
     * @return empty if there is no such token
     * @throws TokenStateException if it is revoked
     */
    @Transactional
    public Optional<IssuedToken> rotate(String id, boolean unbindAccounts) {
        Optional<TokenRow> row = store.find(id);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        byte[] hmacKey = newHmacKey();
        if (!store.replaceKey(id, secrets.seal(hmacKey, purpose(id)), now)) {
            throw new TokenStateException("certificate token " + row.get().keyId() + " is revoked; create a new one");
        }
        int unbound = unbindAccounts ? store.unbindAll(id, now) : 0;
        audit("certificate-token.rotated", id, Outcome.SUCCESS, Map.of("keyId", row.get().keyId(),
                "managedCertificate", row.get().managedCertificateId(), "accountsUnbound", String.valueOf(unbound)));
        return Optional.of(new IssuedToken(TokenViews.view(store.find(id).orElseThrow(), now), encode(hmacKey)));
    }

    /** Writes one audit event per token that expired since the last call. */
    @Transactional
    public int recordExpiries() {
        List<TokenRow> expired = store.claimNewlyExpired(clock.instant(), 500);
        for (TokenRow row : expired) {
            events.publishEvent(AuditRecord.of(clock, "certificate-token.expired", "certificate-token:" + row.id(),
                    Outcome.SUCCESS, Map.of("keyId", row.keyId(), "managedCertificate", row.managedCertificateId(),
                            "expiresAt", String.valueOf(row.expiresAt()),
                            "boundAccountsStopped", String.valueOf(row.boundAccounts()))).by(RequestOrigin.SYSTEM));
        }
        return expired.size();
    }

    static String purpose(String tokenId) {
        return "delivery-token:" + tokenId;
    }

    private void audit(String action, String tokenId, Outcome outcome, Map<String, String> details) {
        events.publishEvent(AuditRecord.of(clock, action, "certificate-token:" + tokenId, outcome, details));
    }

    /**
     * A random key whose base64url text does not start with "-": pasted after an option such as certbot's
     * {@code --eab-hmac-key}, such a value is taken for another option by the client's argument parser.
     */
    private static byte[] newHmacKey() {
        byte[] key = new byte[HMAC_KEY_BYTES];
        do {
            RANDOM.nextBytes(key);
        } while ((key[0] & 0xff) >> 2 == 62);
        return key;
    }

    private static String encode(byte[] key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    private static Binding binding(BindingRow row) {
        return new Binding(row.accountId(), row.profile(), row.boundAt(), row.clientIp(), row.userAgent(),
                row.unboundAt());
    }
}
