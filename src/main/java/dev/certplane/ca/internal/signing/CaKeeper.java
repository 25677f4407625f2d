package dev.certplane.ca.internal.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.certplane.ca.CaCertificate;
import dev.certplane.ca.CaSetupException;
import dev.certplane.ca.internal.store.AuthorityStore;
import dev.certplane.ca.internal.store.AuthorityStore.ActiveRow;
import dev.certplane.ca.internal.store.AuthorityStore.AuthorityRow;
import dev.certplane.pki.CertificateLinter;
import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Pem;
import dev.certplane.pki.Providers;
import dev.certplane.pki.PkiException;
import dev.certplane.pki.Serials;
import dev.certplane.secrets.SecretBox;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.shared.Outcome;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates, imports and loads the active CA, and holds it for signing. Creation happens once per
 * installation: the {@code ca_active} row's primary key lets exactly one replica win a concurrent
 * first start.
 */
@Component
class CaKeeper {

    static final String ROOT = "root";
    static final String ISSUING = "issuing";
    /** Certificates are back-dated this much so clients with a slightly slow clock accept them at once. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private final AuthorityStore store;
    private final SecretBox secrets;
    private final CaSettings settings;
    private final CertplaneProperties certplane;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private volatile ActiveCa active;

    CaKeeper(AuthorityStore store, SecretBox secrets, CaSettings settings, CertplaneProperties certplane,
            TransactionTemplate tx, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.settings = settings;
        this.certplane = certplane;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    ActiveCa active() {
        ActiveCa ca = active;
        if (ca == null) {
            throw new IllegalStateException("the built-in CA is not loaded yet");
        }
        return ca;
    }

    /** Loads the active CA, creating or importing it on the very first start. */
    void ensureActive() {
        if (store.active().isEmpty()) {
            try {
                tx.executeWithoutResult(status -> create());
            } catch (DuplicateKeyException e) {
                // Another replica created the CA in the meantime; use theirs.
            }
        }
        ActiveRow row = store.active().orElseThrow();
        AuthorityRow root = store.get(row.rootId());
        AuthorityRow issuing = store.get(row.issuingId());
        PrivateKey key = Providers.bouncyCastleKey(secrets.openPrivateKey(issuing.keyCiphertext(), keyPurpose(issuing.id())));
        active = new ActiveCa(root.id(), Pem.decodeCertificate(root.certificatePem()), issuing.id(),
                Pem.decodeCertificate(issuing.certificatePem()), key);
    }

    List<CaCertificate> certificates() {
        ActiveCa ca = active();
        return List.of(view(store.get(ca.rootId())), view(store.get(ca.issuingId())));
    }

    private CaCertificate view(AuthorityRow row) {
        X509Certificate cert = Pem.decodeCertificate(row.certificatePem());
        return new CaCertificate(row.id(), row.role(), row.subject(), row.keyType(), row.source(), row.notBefore(),
                row.notAfter(), Certificates.sha256Fingerprint(cert), row.certificatePem());
    }

    private void create() {
        if (settings.importCertificate() != null || settings.importKey() != null) {
            importCa();
        } else {
            generate();
        }
    }

    private void generate() {
        Instant now = clock.instant();
        KeyType rootType = settings.rootKeyType();
        KeyPair rootKeys = rootType.generate();
        CertificateSpec rootSpec = new CertificateSpec(settings.subject("Root CA"), rootKeys.getPublic(),
                Serials.random(), now.minus(BACKDATE), now.plus(settings.rootValidity()), true, 1,
                Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN), List.of(), List.of(), List.of(), null, null,
                null);
        X509Certificate root = signLinted(rootSpec, null, rootKeys.getPrivate());
        String rootId = save(ROOT, root, rootKeys.getPrivate(), "generated");
        String issuingId = generateIssuing(root, rootKeys.getPrivate(), now);
        store.activate(rootId, issuingId, now);
        audit("ca.created", rootId, issuingId, "generated");
    }

    private String generateIssuing(X509Certificate root, PrivateKey rootKey, Instant now) {
        KeyPair keys = settings.issuingKeyType().generate();
        Instant notAfter = min(now.plus(settings.issuingValidity()), root.getNotAfter().toInstant());
        CertificateSpec spec = new CertificateSpec(settings.subject("Issuing CA"), keys.getPublic(), Serials.random(),
                now.minus(BACKDATE), notAfter, true, 0,
                Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN, KeyUsageBit.DIGITAL_SIGNATURE), List.of(),
                List.of(), List.of(), null, certplane.externalUrl() + "/ca/root.crt", null);
        X509Certificate issuing = signLinted(spec, root, rootKey);
        return save(ISSUING, issuing, keys.getPrivate(), "generated");
    }

    private void importCa() {
        if (settings.importCertificate() == null || settings.importKey() == null) {
            throw new CaSetupException("importing a CA needs both certplane.ca.import-certificate and certplane.ca.import-key");
        }
        List<X509Certificate> chain = readCertificates(settings.importCertificate());
        PrivateKey key = readKey(settings.importKey());
        X509Certificate ca = chain.get(0);
        if (ca.getBasicConstraints() < 0 || ca.getKeyUsage() == null || !ca.getKeyUsage()[5]) {
            throw new CaSetupException(settings.importCertificate()
                    + ": the first certificate is not a CA certificate (it needs basicConstraints cA=true and keyCertSign)");
        }
        if (!Certificates.keyMatches(ca, key)) {
            throw new CaSetupException(settings.importKey() + ": the private key does not match the certificate in "
                    + settings.importCertificate());
        }
        Instant now = clock.instant();
        if (selfSigned(ca)) {
            String rootId = save(ROOT, ca, key, "imported");
            String issuingId = generateIssuing(ca, key, now);
            store.activate(rootId, issuingId, now);
            audit("ca.imported", rootId, issuingId, "imported root, generated issuing CA");
            return;
        }
        X509Certificate root = chain.get(chain.size() - 1);
        if (chain.size() < 2 || !selfSigned(root)) {
            throw new CaSetupException(settings.importCertificate()
                    + ": the CA certificate is not self-signed, so the file must also contain its issuer chain up to the root");
        }
        for (int i = 0; i < chain.size() - 1; i++) {
            try {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            } catch (Exception e) {
                throw new CaSetupException(settings.importCertificate() + ": certificate " + (i + 1)
                        + " is not signed by certificate " + (i + 2) + " of the file");
            }
        }
        String rootId = save(ROOT, root, null, "imported");
        String issuingId = save(ISSUING, ca, key, "imported");
        store.activate(rootId, issuingId, now);
        audit("ca.imported", rootId, issuingId, "imported issuing CA");
    }

    private X509Certificate signLinted(CertificateSpec spec, X509Certificate issuer, PrivateKey issuerKey) {
        CertificateLinter.requireClean(spec, issuer);
        return CertificateSigner.sign(spec, issuer, issuerKey);
    }

    private String save(String role, X509Certificate cert, PrivateKey key, String source) {
        String id = UUID.randomUUID().toString();
        String sealedKey = key == null ? null : secrets.sealPrivateKey(key, keyPurpose(id));
        store.insert(new AuthorityRow(id, role, cert.getSubjectX500Principal().getName(), Pem.encodeCertificate(cert),
                sealedKey, KeyType.of(cert.getPublicKey()).configName(), source, cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant(), clock.instant()));
        return id;
    }

    private void audit(String action, String rootId, String issuingId, String how) {
        events.publishEvent(AuditRecord.of(clock, action, "ca:" + issuingId, Outcome.SUCCESS,
                Map.of("rootId", rootId, "issuingId", issuingId, "how", how)));
    }

    static String keyPurpose(String authorityId) {
        return "ca.key:" + authorityId;
    }

    private static boolean selfSigned(X509Certificate cert) {
        if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
            return false;
        }
        try {
            cert.verify(cert.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<X509Certificate> readCertificates(Path file) {
        try {
            return new ArrayList<>(Pem.decodeCertificates(Files.readString(file)));
        } catch (IOException e) {
            throw new CaSetupException("cannot read " + file + ": " + e.getMessage());
        } catch (PkiException e) {
            throw new CaSetupException(file + ": " + e.getMessage());
        }
    }

    private static PrivateKey readKey(Path file) {
        try {
            return Pem.decodePrivateKey(Files.readString(file));
        } catch (IOException e) {
            throw new CaSetupException("cannot read " + file + ": " + e.getMessage());
        } catch (PkiException e) {
            throw new CaSetupException(file + ": " + e.getMessage());
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
