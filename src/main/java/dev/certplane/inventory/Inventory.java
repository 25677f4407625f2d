package dev.certplane.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.certplane.inventory.internal.ExpiryChecks;
import dev.certplane.inventory.internal.InventorySettings;
import dev.certplane.inventory.internal.PublicRoots;
import dev.certplane.inventory.internal.store.InventoryStore;
import dev.certplane.pki.CertificateFacts;
import dev.certplane.pki.Pem;
import dev.certplane.secrets.SecretBox;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every certificate Certplane knows: recorded with parsed metadata, status and rating when it is issued,
 * imported or discovered; searched, counted and exported.
 */
@Service
public class Inventory {

    /** The most rows one page may hold. */
    public static final int MAX_PAGE_SIZE = 500;

    private final InventoryStore store;
    private final PublicRoots roots;
    private final InventorySettings settings;
    private final SecretBox secrets;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate nested;
    private final ExpiryChecks expiryChecks;
    private final Clock clock;

    Inventory(InventoryStore store, PublicRoots roots, InventorySettings settings, SecretBox secrets,
            ApplicationEventPublisher events, PlatformTransactionManager transactions, @Lazy ExpiryChecks expiryChecks,
            Clock clock) {
        this.expiryChecks = expiryChecks;
        this.nested = new TransactionTemplate(transactions);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.store = store;
        this.roots = roots;
        this.settings = settings;
        this.secrets = secrets;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Asks for a run of the expiry loop (statuses, ratings, expiry alerts) at the scheduler's next poll. The loop's
     * scheduler is wired lazily: it needs every task, and tasks need the inventory.
     *
     * @return false if a run is under way now, which serves as the requested one
     */
    public boolean requestExpiryCheck() {
        return expiryChecks.requestRun();
    }

    /** What recording a chain did to its first certificate. */
    public record Recorded(StoredCertificate certificate, boolean added) {
    }

    /**
     * Records a chain, leaf first: each certificate is added once (by SHA-256 fingerprint) with its metadata,
     * linked to its issuer when the issuer is present, and listed under {@code source}.
     *
     * @param origin how certificates first seen here arrived: {@code issued}, {@code acme}, {@code imported}
     *     or {@code discovered}
     * @param source what lists them, such as {@code import:<id>} or {@code discovery:<target>}
     * @param privateKey the leaf's private key, sealed before it is stored; {@code null} if none came with it
     */
    @Transactional
    public Recorded record(List<X509Certificate> chain, String origin, String source, @Nullable PrivateKey privateKey) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a chain holds at least one certificate");
        }
        Instant now = clock.instant();
        List<Recorded> recorded = new ArrayList<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            recorded.add(0, recordOne(chain.get(i), origin, source, now));
        }
        Recorded leaf = recorded.get(0);
        if (privateKey != null) {
            store.savePrivateKey(leaf.certificate().id(),
                    secrets.sealPrivateKey(privateKey, keyPurpose(leaf.certificate().id())), now);
            leaf = new Recorded(store.find(leaf.certificate().id()).orElseThrow(), leaf.added());
        }
        return leaf;
    }

    public Optional<StoredCertificate> find(String id) {
        return store.find(id);
    }

    public Optional<StoredCertificate> findByFingerprint(String sha256) {
        return store.findByFingerprint(sha256.toLowerCase(Locale.ROOT));
    }

    /** The certificate followed by its issuers as far as the inventory has them (at most ten). */
    public List<StoredCertificate> chain(String id) {
        List<StoredCertificate> chain = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Optional<StoredCertificate> next = store.find(id);
        while (next.isPresent() && seen.add(next.get().id()) && chain.size() < 10) {
            chain.add(next.get());
            String issuer = next.get().issuerCertificateId();
            next = issuer == null ? Optional.empty() : store.find(issuer);
        }
        return chain;
    }

    public List<String> sources(String id) {
        return store.sources(id);
    }

    public List<Endpoint> endpoints(String id) {
        return store.endpoints(id);
    }

    /** @param page zero-based */
    public InventoryPage<StoredCertificate> search(CertificateQuery query, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page must be 0 or more and size 1 to " + MAX_PAGE_SIZE);
        }
        long total = store.count(query);
        List<StoredCertificate> items = (long) page * size >= total ? List.of()
                : store.page(query, (long) page * size, size);
        return new InventoryPage<>(items, total, page, size);
    }

    public InventoryStats stats() {
        Map<CertificateStatus, Long> counts = store.countByStatus();
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return new InventoryStats(total, counts.getOrDefault(CertificateStatus.VALID, 0L),
                counts.getOrDefault(CertificateStatus.EXPIRING_SOON, 0L),
                counts.getOrDefault(CertificateStatus.EXPIRING, 0L), counts.getOrDefault(CertificateStatus.EXPIRED, 0L),
                counts.getOrDefault(CertificateStatus.REVOKED, 0L), store.hostsWithExpiring());
    }

    /**
     * Writes every match as CSV (RFC 4180) while reading it, so memory does not grow with the result. Inside
     * a read-only transaction so that PostgreSQL streams with a cursor instead of loading every row.
     */
    @Transactional(readOnly = true)
    public void exportCsv(CertificateQuery query, Writer out) {
        try {
            out.write(CsvRows.header());
            store.stream(query, certificate -> {
                try {
                    out.write(CsvRows.row(certificate));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status a certificate with this expiry has now, by the configured thresholds. */
    public CertificateStatus statusOf(Instant notAfter, @Nullable Instant revokedAt) {
        return CertificateStatus.of(notAfter, revokedAt, clock.instant(), settings.expiringSoonDays(),
                settings.expiringDays());
    }

    /** Marks a certificate revoked (status {@code revoked} from now on); false if the inventory does not hold it. */
    @Transactional
    public boolean markRevoked(String issuerDn, String serialHex, Instant revokedAt) {
        boolean changed = store.markRevoked(issuerDn, serialHex, revokedAt);
        if (changed) {
            events.publishEvent(AuditRecord.of(clock, "certificate.revoked", "certificate:" + serialHex,
                    Outcome.SUCCESS, Map.of("issuer", issuerDn, "serial", serialHex)));
        }
        return changed;
    }

    private Recorded recordOne(X509Certificate certificate, String origin, String source, Instant now) {
        CertificateFacts facts = CertificateFacts.of(certificate);
        Optional<StoredCertificate> existing = store.findByFingerprint(facts.sha256());
        if (existing.isPresent()) {
            store.touchSource(existing.get().id(), source, now);
            return new Recorded(existing.get(), false);
        }
        try {
            // A savepoint: the same certificate may arrive at the same moment by another path (the issuer's
            // event and a managed certificate's version), and on PostgreSQL a failed insert would otherwise
            // abort the caller's whole transaction.
            return nested.execute(s -> insert(certificate, facts, origin, source, now));
        } catch (DuplicateKeyException e) {
            StoredCertificate winner = store.findByFingerprint(facts.sha256()).orElseThrow(() -> e);
            store.touchSource(winner.id(), source, now);
            return new Recorded(winner, false);
        }
    }

    private Recorded insert(X509Certificate certificate, CertificateFacts facts, String origin, String source,
            Instant now) {
        String issuerId = facts.selfIssued() ? null : store.findIssuer(facts.issuer(), facts.authorityKeyId()).orElse(null);
        boolean complete = facts.selfIssued() || issuerId != null || roots.isRoot(facts.issuer());
        SecurityRating rating = SecurityRating.rate(facts, complete, roots.isRoot(facts.issuer()), now);
        StoredCertificate stored = new StoredCertificate(Ids.random(), facts.sha256(), facts.sha1(), facts.serial(),
                facts.subject(), displayName(facts), facts.issuer(), facts.issuerCommonName(), names(facts),
                facts.emails(), facts.uris(), facts.notBefore(), facts.notAfter(), facts.keyAlgorithm(), facts.keyBits(),
                facts.keyCurve(), facts.signatureAlgorithm(), facts.ca(), facts.pathLength(), facts.keyUsage(),
                facts.extendedKeyUsage(), facts.caIssuerUrls(), facts.ocspUrls(), facts.crlUrls(), facts.sctCount(),
                facts.subjectKeyId(), facts.authorityKeyId(), facts.selfIssued(), issuerId, false, origin, null, null,
                List.of(), statusOf(facts.notAfter(), null), null, rating.grade(), rating.reasons(), false,
                Pem.encodeCertificate(certificate), now, now);
        store.insert(stored);
        store.insertTerms(stored.id(), SearchTerms.of(facts));
        store.touchSource(stored.id(), source, now);
        if (facts.ca()) {
            for (String orphan : store.adoptOrphans(stored.id(), facts.subject(), facts.subjectKeyId())) {
                rerate(orphan, now);
            }
        }
        events.publishEvent(AuditRecord.of(clock, "certificate.recorded", "certificate:" + stored.id(), Outcome.SUCCESS,
                Map.of("fingerprint", stored.fingerprintSha256(), "subject", stored.subject(), "origin", origin,
                        "source", source)));
        return new Recorded(stored, true);
    }

    /**
     * Rates a stored certificate again from its PEM, for what changed since: its issuer arrived (the chain is
     * complete now) or it expired.
     */
    public void rerate(String id, Instant now) {
        store.find(id).ifPresent(c -> {
            CertificateFacts facts = CertificateFacts.of(Pem.decodeCertificate(c.pem()));
            boolean complete = facts.selfIssued() || c.issuerCertificateId() != null || roots.isRoot(facts.issuer());
            SecurityRating rating = SecurityRating.rate(facts, complete, roots.isRoot(facts.issuer()), now);
            store.updateRating(id, rating.grade(), rating.reasons(), now);
        });
    }

    /** Leaf certificates often have an empty subject (RFC 8555 7.4): then the first SAN names them. */
    private static String displayName(CertificateFacts facts) {
        List<String> names = names(facts);
        return facts.subjectCommonName().isEmpty() && !names.isEmpty() ? names.get(0) : facts.subjectCommonName();
    }

    private static List<String> names(CertificateFacts facts) {
        List<String> names = new ArrayList<>(facts.dnsNames());
        names.addAll(facts.ipAddresses());
        return names;
    }

    static String keyPurpose(String certificateId) {
        return "inventory-key:" + certificateId;
    }
}
