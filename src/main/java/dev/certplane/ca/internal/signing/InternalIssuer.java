package dev.certplane.ca.internal.signing;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.naming.ldap.Rdn;

import dev.certplane.ca.internal.store.IssuedCertificateStore;
import dev.certplane.ca.internal.store.IssuedCertificateStore.Intent;
import dev.certplane.issuance.CertificateRequest;
import dev.certplane.issuance.CertificateIssued;
import dev.certplane.issuance.CertificateRevoked;
import dev.certplane.issuance.IssuanceException;
import dev.certplane.issuance.IssuedCertificate;
import dev.certplane.issuance.spi.CertificateIssuer;
import dev.certplane.pki.CertificateLinter;
import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Pem;
import dev.certplane.pki.PkiException;
import dev.certplane.pki.Serials;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.shared.Outcome;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The built-in CA as an issuer. Every signature goes prepare, lint, record intent, sign, store (Boulder's
 * issuance cycle): the intent is committed in its own transaction before the signature exists, so a crash
 * can never leave a signed certificate the CA has no record of.
 */
@Component
class InternalIssuer implements CertificateIssuer {

    private final CaKeeper keeper;
    private final CaSettings settings;
    private final IssuedCertificateStore store;
    private final TransactionTemplate ownTransaction;
    private final ApplicationEventPublisher events;
    private final CertplaneProperties certplane;
    private final Clock clock;

    InternalIssuer(CaKeeper keeper, CaSettings settings, IssuedCertificateStore store,
            PlatformTransactionManager transactions, ApplicationEventPublisher events, CertplaneProperties certplane,
            Clock clock) {
        this.keeper = keeper;
        this.settings = settings;
        this.store = store;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.events = events;
        this.certplane = certplane;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return "internal";
    }

    @Override
    public IssuedCertificate issue(CertificateRequest request) {
        ActiveCa ca = keeper.active();
        CertificateSpec spec = prepare(request, ca);
        try {
            CertificateLinter.requireClean(spec, ca.issuing());
        } catch (PkiException e) {
            throw new IssuanceException(e.getMessage(), e);
        }
        String serial = spec.serial().toString(16);
        List<String> names = new ArrayList<>(spec.dnsNames());
        names.addAll(spec.ipAddresses());
        ownTransaction.executeWithoutResult(s -> store.recordIntent(new Intent(serial, ca.issuingId(),
                request.profile().name(), spec.subject(), String.join(",", names), spec.notBefore(), spec.notAfter(),
                clock.instant())));
        X509Certificate certificate = CertificateSigner.sign(spec, ca.issuing(), ca.issuingKey());
        ownTransaction.executeWithoutResult(s -> {
            if (!store.complete(serial, Pem.encodeCertificate(certificate), Certificates.sha256Fingerprint(certificate),
                    clock.instant())) {
                throw new IssuanceException("the issuance intent for serial " + serial + " was closed before signing completed");
            }
            events.publishEvent(AuditRecord.of(clock, "ca.certificate.signed", "certificate:" + serial, Outcome.SUCCESS,
                    Map.of("profile", request.profile().name(), "names", String.join(",", names),
                            "notAfter", spec.notAfter().toString(), "requestedBy", request.requestedBy())));
            events.publishEvent(new CertificateIssued(Pem.encodeCertificates(List.of(certificate, ca.issuing())),
                    Pem.encodeCertificate(ca.root()), kind(), request.profile().name(), request.requestedBy()));
        });
        return new IssuedCertificate(List.of(certificate, ca.issuing()), ca.root(), kind());
    }

    @Override
    public boolean revoke(BigInteger serial, int reasonCode) {
        String hex = serial.toString(16);
        Instant now = clock.instant();
        boolean revoked = store.revoke(hex, reasonCode, now);
        if (revoked) {
            events.publishEvent(AuditRecord.of(clock, "ca.certificate.revoked", "certificate:" + hex, Outcome.SUCCESS,
                    Map.of("reasonCode", Integer.toString(reasonCode))));
            events.publishEvent(new CertificateRevoked(keeper.active().issuing().getSubjectX500Principal().getName(),
                    hex, reasonCode, now));
        }
        return revoked;
    }

    @Override
    public List<X509Certificate> trustedCertificates() {
        ActiveCa ca = keeper.active();
        return List.of(ca.root(), ca.issuing());
    }

    private CertificateSpec prepare(CertificateRequest request, ActiveCa ca) {
        Instant now = clock.instant();
        var validity = request.profile().validity().compareTo(settings.leafValidityCap()) > 0
                ? settings.leafValidityCap() : request.profile().validity();
        Instant notBefore = request.notBefore() == null || request.notBefore().isBefore(now)
                ? now.minus(CaKeeper.BACKDATE) : request.notBefore();
        Instant notAfter = notBefore.plus(validity);
        if (request.notAfter() != null && request.notAfter().isBefore(notAfter)) {
            notAfter = request.notAfter();
        }
        Instant caNotAfter = ca.issuing().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        Set<KeyUsageBit> keyUsage = EnumSet.of(KeyUsageBit.DIGITAL_SIGNATURE);
        if (request.publicKey() instanceof RSAPublicKey) {
            // RFC 5246 RSA key exchange encrypts with the certificate key.
            keyUsage.add(KeyUsageBit.KEY_ENCIPHERMENT);
        }
        String subject = request.commonName() == null ? "" : "CN=" + Rdn.escapeValue(request.commonName());
        return new CertificateSpec(subject, request.publicKey(), Serials.random(), notBefore,
                notAfter, false, null, keyUsage, request.profile().extendedKeyUsage(), request.dnsNames(),
                request.ipAddresses(), null, certplane.externalUrl() + "/ca/issuing.crt", null);
    }
}
