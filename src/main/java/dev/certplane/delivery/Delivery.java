package dev.certplane.delivery;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.delivery.internal.store.TokenStore;
import dev.certplane.delivery.internal.store.TokenStore.BindingRow;
import dev.certplane.delivery.internal.store.TokenStore.DeliveryRow;
import dev.certplane.delivery.internal.store.TokenStore.TokenRow;
import dev.certplane.delivery.spi.DeliveryConfirmation;
import dev.certplane.delivery.spi.DeliveryConfirmations;
import dev.certplane.inventory.CertificateVersion;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.secrets.SecretBox;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the ACME server asks of certificate tokens: the HMAC key behind an EAB key id, binding a new account to
 * its token, whether a bound account may still act and which names it may order, and recording each issuance
 * and download as evidence.
 */
@Service
public class Delivery {

    public static final String SOURCE = "acme-server";
    public static final int MAX_DELIVERIES = 1000;

    private final TokenStore store;
    private final ManagedCertificates certificates;
    private final SecretBox secrets;
    private final DeliveryConfirmations confirmations;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate separateTransaction;
    private final Clock clock;

    Delivery(TokenStore store, ManagedCertificates certificates, SecretBox secrets,
            DeliveryConfirmations confirmations, ApplicationEventPublisher events,
            PlatformTransactionManager transactions, Clock clock) {
        this.store = store;
        this.certificates = certificates;
        this.secrets = secrets;
        this.confirmations = confirmations;
        this.events = events;
        this.separateTransaction = new TransactionTemplate(transactions);
        this.separateTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /** The HMAC key of the token with this EAB key id, whatever its state (state is checked when binding). */
    public Optional<BindingKey> bindingKey(String keyId) {
        return store.findByKeyId(keyId).map(row -> new BindingKey(row.id(), row.keyId(),
                secrets.open(row.hmacKey(), CertificateTokens.purpose(row.id()))));
    }

    /**
     * Binds a newly registered account to a token, in the registration's transaction. The token's row is locked
     * while its bindings are counted, so concurrent registrations cannot exceed its limit.
     *
     * @param profile the directory the account registers in, which must be the managed certificate's profile
     * @throws DeliveryRefusedException saying why the token cannot be bound
     */
    @Transactional
    public TokenBinding bind(String keyId, String accountId, String profile, String clientIp,
            @Nullable String userAgent) {
        TokenRow token = store.lockByKeyId(keyId)
                .orElseThrow(() -> new DeliveryRefusedException("there is no certificate token with key id " + keyId));
        Instant now = clock.instant();
        String refusal = TokenViews.refusal(token, now);
        if (refusal != null) {
            throw new DeliveryRefusedException(refusal);
        }
        ManagedCertificate managed = certificates.find(token.managedCertificateId()).orElseThrow(
                () -> new DeliveryRefusedException("certificate token " + keyId + " names a managed certificate that no"
                        + " longer exists"));
        if (!managed.profile().equals(profile)) {
            throw new DeliveryRefusedException("certificate token " + keyId + " is for managed certificate '"
                    + managed.name() + "' of profile '" + managed.profile() + "'; register in that profile's directory");
        }
        if (token.maxAccounts() != null && token.boundAccounts() >= token.maxAccounts()) {
            throw new DeliveryRefusedException("certificate token " + keyId + " allows " + token.maxAccounts()
                    + " ACME account" + (token.maxAccounts() == 1 ? "" : "s") + " and that many are bound already");
        }
        store.insertBinding(new BindingRow(accountId, token.id(), profile, now, clientIp, truncate(userAgent), null));
        Map<String, String> details = evidence(keyId, managed.id(), clientIp, userAgent);
        details.put("profile", profile);
        events.publishEvent(AuditRecord.of(clock, "certificate-token.bound", "certificate-token:" + token.id(),
                Outcome.SUCCESS, details).by("acme-account:" + accountId));
        return new TokenBinding(accountId, token.id(), keyId, managed.id(), null);
    }

    /**
     * Records, in a transaction of its own, that someone tried to register with a known key id and failed (wrong
     * MAC, revoked token, limit reached): the request itself is rolled back, the attempt must stay on record.
     */
    public void recordRefusedBinding(String keyId, String reason, String clientIp, @Nullable String userAgent) {
        Optional<TokenRow> token = store.findByKeyId(keyId);
        if (token.isEmpty()) {
            return;
        }
        Map<String, String> details = evidence(keyId, token.get().managedCertificateId(), clientIp, userAgent);
        details.put("reason", reason);
        separateTransaction.executeWithoutResult(s -> events.publishEvent(AuditRecord.of(clock,
                "certificate-token.bound", "certificate-token:" + token.get().id(), Outcome.FAILURE, details)
                .by("acme-client:" + clientIp)));
    }

    /** The token an account is bound to, with the reason it may no longer act; empty if it is not bound. */
    public Optional<TokenBinding> bindingOf(String accountId) {
        return store.bindingOf(accountId).map(bound -> {
            String refusal = TokenViews.refusal(bound.keyId(), bound.revokedAt(), bound.expiresAt(), clock.instant());
            if (refusal == null && bound.unboundAt() != null) {
                refusal = "this account's binding to certificate token " + bound.keyId() + " was removed at "
                        + bound.unboundAt() + " when the token's key was rotated; register a new account with the new key";
            }
            return new TokenBinding(accountId, bound.tokenId(), bound.keyId(), bound.managedCertificateId(), refusal);
        });
    }

    /** The names a bound account may order: its managed certificate's current name set. */
    public List<String> scope(TokenBinding binding) {
        return certificates.find(binding.managedCertificateId()).map(ManagedCertificate::names).orElse(List.of());
    }

    /** A short description of the scope for error messages: the managed certificate's name and names. */
    public String describeScope(TokenBinding binding) {
        return certificates.find(binding.managedCertificateId())
                .map(m -> "managed certificate '" + m.name() + "': " + String.join(", ", m.names()))
                .orElse("a managed certificate that no longer exists");
    }

    /**
     * Records a certificate issued to a bound account as its managed certificate's next version, in the caller's
     * transaction.
     *
     * @param chain the leaf first
     * @return the new version number
     */
    @Transactional
    public int recordIssued(TokenBinding binding, List<X509Certificate> chain, String orderId) {
        return certificates.addVersion(binding.managedCertificateId(), chain, SOURCE, "acme-order:" + orderId,
                "acme-account:" + binding.accountId()).version();
    }

    /**
     * Records that a bound account fetched a certificate and, when it is one of the managed certificate's versions,
     * publishes {@link CertificateDelivered} in the same transaction.
     *
     * @return the version of the managed certificate it fetched, if the certificate is one of its versions
     */
    @Transactional
    public Optional<Integer> recordDownload(TokenBinding binding, String fingerprintSha256, String clientIp,
            @Nullable String userAgent) {
        Optional<Integer> version = certificates.versionByFingerprint(binding.managedCertificateId(), fingerprintSha256)
                .map(CertificateVersion::version);
        String id = Ids.random();
        Instant now = clock.instant();
        store.insertDelivery(new DeliveryRow(id, binding.managedCertificateId(), binding.tokenId(),
                binding.keyId(), "", binding.accountId(), version.orElse(null), fingerprintSha256, clientIp,
                truncate(userAgent), now));
        version.ifPresent(v -> events.publishEvent(new CertificateDelivered(id, binding.managedCertificateId(), v,
                fingerprintSha256, now)));
        return version;
    }

    /** The latest deliveries of a managed certificate, newest first, each with its confirmation if it has one. */
    public List<DeliveryRecord> deliveries(String managedCertificateId, int limit) {
        List<DeliveryRow> rows = store.deliveries(managedCertificateId, Math.min(Math.max(limit, 1), MAX_DELIVERIES));
        Map<String, DeliveryConfirmation> confirmed = confirmations.of(rows.stream().map(DeliveryRow::id).toList());
        return rows.stream()
                .map(d -> new DeliveryRecord(d.id(), d.managedCertificateId(), d.tokenId(), d.keyId(), d.tokenName(),
                        d.accountId(), d.version(), d.fingerprint(), d.clientIp(), d.userAgent(), d.deliveredAt(),
                        confirmed.get(d.id())))
                .toList();
    }

    private static Map<String, String> evidence(String keyId, String managedCertificateId, String clientIp,
            @Nullable String userAgent) {
        Map<String, String> details = new HashMap<>();
        details.put("keyId", keyId);
        details.put("managedCertificate", managedCertificateId);
        details.put("clientIp", clientIp);
        if (userAgent != null) {
            details.put("userAgent", truncate(userAgent));
        }
        return details;
    }

    private static @Nullable String truncate(@Nullable String userAgent) {
        return userAgent == null || userAgent.length() <= 500 ? userAgent : userAgent.substring(0, 500);
    }
}
