package dev.certplane.tls.internal;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.certplane.issuance.CertificateRequest;
import dev.certplane.issuance.Issuance;
import dev.certplane.issuance.IssuanceProfile;
import dev.certplane.issuance.IssuedCertificate;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.ExtendedKeyUsage;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.Pem;
import dev.certplane.secrets.SecretBox;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.shared.Outcome;
import dev.certplane.shared.RequestOrigin;
import dev.certplane.tls.internal.store.ServerCertificateStore;
import dev.certplane.tls.internal.store.ServerCertificateStore.Row;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Issues, stores and decides the renewal of Certplane's own HTTPS certificate. */
@Component
class ServerCertificates {

    static final String ISSUER = "internal";
    private static final String KEY_PURPOSE = "tls.server-key:";

    /** The certificate to serve, with its key decrypted in memory. */
    record Served(String id, List<X509Certificate> chain, PrivateKey key) {

        @Override
        public String toString() {
            return "Served[id=" + id + ", subject=" + chain.get(0).getSubjectX500Principal() + "]";
        }
    }

    private final ServerCertificateStore store;
    private final Issuance issuance;
    private final SecretBox secrets;
    private final TlsSettings settings;
    private final ServerNames names;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ServerCertificates(ServerCertificateStore store, Issuance issuance, SecretBox secrets, TlsSettings settings,
            CertplaneProperties certplane, TransactionTemplate tx, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.issuance = issuance;
        this.secrets = secrets;
        this.settings = settings;
        this.names = ServerNames.of(certplane.externalUrl(), settings.names());
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    Optional<Served> stored() {
        return store.latest().map(this::decode);
    }

    Optional<String> storedId() {
        return store.latest().map(Row::id);
    }

    /** The certificate to serve now: the stored one, or a new one when none exists or renewal is due. */
    Served ensureCurrent() {
        Optional<Row> latest = store.latest();
        if (latest.isPresent()) {
            Served served = decode(latest.get());
            Optional<String> reason = renewalReason(served.chain());
            if (reason.isEmpty()) {
                return served;
            }
            return issue(reason.get(), "server-certificate.renewed");
        }
        return issue("first start", "server-certificate.issued");
    }

    List<X509Certificate> trustedCertificates() {
        return issuance.trustedCertificates(ISSUER);
    }

    Optional<String> renewalReason(List<X509Certificate> chain) {
        X509Certificate leaf = chain.get(0);
        Set<String> covered = new HashSet<>(Certificates.dnsNames(leaf));
        covered.addAll(Certificates.ipAddresses(leaf));
        if (!covered.containsAll(names.all())) {
            return Optional.of("configured names changed");
        }
        X509Certificate issuing = trustedCertificates().get(1);
        try {
            leaf.verify(issuing.getPublicKey());
        } catch (Exception e) {
            return Optional.of("the built-in CA changed");
        }
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        Duration third = Duration.between(notBefore, notAfter).dividedBy(3);
        Duration before = settings.renewBefore().compareTo(third) < 0 ? settings.renewBefore() : third;
        if (!clock.instant().isBefore(notAfter.minus(before))) {
            return Optional.of("expires " + notAfter);
        }
        return Optional.empty();
    }

    private Served issue(String reason, String action) {
        KeyPair keys = KeyType.EC_P256.generate();
        List<String> dns = names.dnsNames();
        List<String> ips = names.ipAddresses();
        String allNames = String.join(",", names.all());
        IssuanceProfile profile = new IssuanceProfile("server-tls", ISSUER, settings.validity(),
                List.of(ExtendedKeyUsage.SERVER_AUTH));
        IssuedCertificate issued = issuance.issue(
                new CertificateRequest(keys.getPublic(), dns.get(0), dns, ips, profile, RequestOrigin.SYSTEM));
        X509Certificate leaf = issued.leaf();
        String id = UUID.randomUUID().toString();
        String serial = Certificates.serialHex(leaf);
        tx.executeWithoutResult(status -> {
            store.insert(new Row(id, serial, allNames, Pem.encodeCertificates(issued.chain()),
                    secrets.sealPrivateKey(keys.getPrivate(), KEY_PURPOSE + id),
                    leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), clock.instant()));
            events.publishEvent(AuditRecord.of(clock, action, "server-certificate:" + serial, Outcome.SUCCESS,
                    Map.of("reason", reason, "names", allNames,
                            "notAfter", leaf.getNotAfter().toInstant().toString(),
                            "sha256", Certificates.sha256Fingerprint(leaf))));
        });
        return new Served(id, issued.chain(), keys.getPrivate());
    }

    private Served decode(Row row) {
        PrivateKey key = secrets.openPrivateKey(row.keyCiphertext(), KEY_PURPOSE + row.id());
        return new Served(row.id(), Pem.decodeCertificates(row.chainPem()), key);
    }
}
