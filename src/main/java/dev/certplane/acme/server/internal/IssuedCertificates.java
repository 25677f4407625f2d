package dev.certplane.acme.server.internal;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.Base64Url;
import dev.certplane.acme.protocol.CertificateId;
import dev.certplane.acme.protocol.ProblemType;
import dev.certplane.acme.protocol.RevocationReason;
import dev.certplane.acme.server.internal.store.CertificateStore;
import dev.certplane.acme.server.internal.store.CertificateStore.CertificateRow;
import dev.certplane.delivery.Delivery;
import dev.certplane.issuance.Issuance;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.Pem;
import dev.certplane.pki.PkiException;
import dev.certplane.shared.Outcome;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.JsonNode;

/** Certificates issued through ACME: download (RFC 8555 7.4.2), revocation (7.6), renewal information (RFC 9773). */
@Service
class IssuedCertificates {

    /** How long clients should wait before asking for renewal information again (RFC 9773 4.3). */
    static final Duration RENEWAL_INFO_RETRY = Duration.ofHours(6);

    private final CertificateStore store;
    private final Issuance issuance;
    private final AcmeSettings settings;
    private final AcmeAudit audit;
    private final Delivery delivery;
    private final Clock clock;

    IssuedCertificates(CertificateStore store, Issuance issuance, AcmeSettings settings, AcmeAudit audit,
            Delivery delivery, Clock clock) {
        this.delivery = delivery;
        this.store = store;
        this.issuance = issuance;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    /** @param withRoot the alternate chain that ends in the root (offered when so configured) */
    @Transactional
    String download(SignedRequest request, String certificateId, boolean withRoot) {
        request.requirePostAsGet();
        Account account = request.requireAccount();
        CertificateRow row = store.find(certificateId).filter(c -> c.profile().equals(request.profile().name()))
                .orElseThrow(() -> Orders.notFound("certificate"));
        if (!row.accountId().equals(account.id())) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "this certificate belongs to another account");
        }
        if (withRoot && !settings.alternateChainWithRoot()) {
            throw Orders.notFound("certificate chain");
        }
        Map<String, String> details = new java.util.HashMap<>(Map.of("serial", row.serial(), "order", row.orderId(),
                "chain", withRoot ? "with-root" : "default"));
        if (request.binding() != null) {
            // Evidence of delivery (issue #5): which token and account fetched which version, from where.
            delivery.recordDownload(request.binding(), row.fingerprintSha256(), request.client().ip(),
                    request.client().userAgent()).ifPresent(version -> details.put("version", String.valueOf(version)));
            details.put("token", request.binding().keyId());
            details.put("managedCertificate", request.binding().managedCertificateId());
        }
        audit.record("acme.certificate.downloaded", "acme-certificate:" + certificateId, Outcome.SUCCESS, account.id(),
                request.client(), details);
        return withRoot ? row.chainPem() + row.rootPem() : row.chainPem();
    }

    /** The root every chain of the profile leads to. */
    String rootPem(Profile profile) {
        return Pem.encodeCertificate(issuance.trustedCertificates(profile.issuanceProfile().issuer()).get(0));
    }

    boolean offersAlternateChain() {
        return settings.alternateChainWithRoot();
    }

    /**
     * Revocation (RFC 8555 7.6) by the account that ordered the certificate, or by anyone holding the
     * certificate's private key (the request is then signed with that key as {@code jwk}).
     */
    @Transactional
    void revoke(SignedRequest request) {
        JsonNode payload = request.payload();
        if (!payload.path("certificate").isString()) {
            throw AcmeProblem.malformed("the revocation payload needs \"certificate\", the base64url DER certificate");
        }
        byte[] der = Base64Url.decode(payload.get("certificate").asString(), "certificate");
        X509Certificate certificate;
        try {
            certificate = Certificates.parse(der);
        } catch (PkiException e) {
            throw AcmeProblem.malformed("\"certificate\" is not a DER certificate: " + e.getMessage());
        }
        RevocationReason reason = RevocationReason.UNSPECIFIED;
        if (payload.has("reason")) {
            JsonNode code = payload.get("reason");
            reason = (code.isInt() ? RevocationReason.ofCode(code.asInt()) : java.util.Optional.<RevocationReason>empty())
                    .orElseThrow(() -> AcmeProblem.of(ProblemType.BAD_REVOCATION_REASON, "reason " + code
                            + " is not accepted; use one of 0 (unspecified), 1 (keyCompromise), 3 (affiliationChanged),"
                            + " 4 (superseded), 5 (cessationOfOperation)"));
        }
        CertificateRow row = store.findBySerial(certificate.getSerialNumber().toString(16))
                .filter(c -> c.profile().equals(request.profile().name()) && sameCertificate(c, der))
                .orElseThrow(() -> AcmeProblem.withStatus(ProblemType.MALFORMED, 404,
                        "this directory did not issue that certificate"));
        String actor;
        if (request.account() != null) {
            if (!row.accountId().equals(request.account().id())) {
                throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "only the account that ordered the certificate, or the"
                        + " holder of its private key, may revoke it");
            }
            actor = request.account().id();
        } else {
            if (!request.key().sameKey(certificate.getPublicKey())) {
                throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the request is signed with a \"jwk\" that is not the"
                        + " certificate's key");
            }
            actor = null;
        }
        if (row.issuer().equals(Orders.UPSTREAM_ISSUER)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "this certificate was issued by profile '" + row.profile()
                    + "' upstream CA; revoke it there, with the ACME issuer's account");
        }
        if (!store.revoke(row.id(), reason.code(), clock.instant())) {
            throw AcmeProblem.of(ProblemType.ALREADY_REVOKED, "the certificate is already revoked");
        }
        issuance.revoke(row.issuer(), new BigInteger(row.serial(), 16), reason.code());
        audit.record("acme.certificate.revoked", "acme-certificate:" + row.id(), Outcome.SUCCESS, actor,
                request.client(), Map.of("serial", row.serial(), "reason", reason.name().toLowerCase(java.util.Locale.ROOT),
                        "by", actor == null ? "certificate key" : "account"));
    }

    /** RFC 9773 4.2: renew in the last third of the lifetime, or at once if revoked. */
    Wire.RenewalInfo renewalInfo(String profile, String certificateIdText) {
        CertificateId id = CertificateId.parse(certificateIdText);
        CertificateRow row = store.findBySerial(id.serial().toString(16))
                .filter(c -> c.profile().equals(profile)
                        && c.authorityKeyId().equals(HexFormat.of().formatHex(id.keyIdentifier())))
                .orElseThrow(() -> AcmeProblem.withStatus(ProblemType.MALFORMED, 404,
                        "this directory did not issue a certificate with id " + abbreviate(certificateIdText)));
        Instant start;
        Instant end;
        if (row.status().equals("revoked")) {
            Instant now = clock.instant();
            start = now.minus(Duration.ofHours(1));
            end = now;
        } else {
            Duration lifetime = Duration.between(row.notBefore(), row.notAfter());
            start = row.notAfter().minus(lifetime.dividedBy(3));
            end = row.notAfter().minus(lifetime.dividedBy(6));
        }
        return new Wire.RenewalInfo(new Wire.SuggestedWindow(Wire.time(start), Wire.time(end)), null);
    }

    private static boolean sameCertificate(CertificateRow row, byte[] der) {
        return Arrays.equals(encoded(Pem.decodeCertificates(row.chainPem()).get(0)), der);
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "…" : text;
    }
}
