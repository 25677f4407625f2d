package dev.certplane.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link CertificateSpec} into a signed X.509 v3 certificate. It does not lint: callers
 * run {@link CertificateLinter#requireClean} first (and record the spec) so that a refusal happens
 * before anything is signed. It does refuse what cannot be encoded conformantly at all, and it
 * verifies every certificate it produces against the issuer's public key, so signing with the
 * wrong issuer key fails here instead of producing a certificate nobody can validate.
 */
public final class CertificateSigner {

    private CertificateSigner() {
    }

    /**
     * Signs spec with issuerKey. issuerCertificate null means self-signed (a root): the issuer DN is the subject
     * and the AKI is the certificate's own SKI. Signature algorithm follows the issuer key's KeyType.
     *
     * @throws PkiException if the issuer key is not a supported {@link KeyType}, does not belong to
     *     the issuer, or the spec cannot be encoded
     */
    public static X509Certificate sign(CertificateSpec spec, @Nullable X509Certificate issuerCertificate, PrivateKey issuerKey) {
        X500Name subject = x500Name(spec.subject());
        X500Name issuer = issuerCertificate == null ? subject
                // Copy the issuer's subject bytes exactly: RFC 5280 6.1 chains names by comparison,
                // and byte equality is the comparison every implementation gets right.
                : X500Name.getInstance(issuerCertificate.getSubjectX500Principal().getEncoded());
        PublicKey issuerPublicKey = issuerCertificate == null ? spec.publicKey() : issuerCertificate.getPublicKey();
        String signatureAlgorithm = KeyType.of(issuerPublicKey).signatureAlgorithm();

        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, spec.serial(),
                time(spec.notBefore()), time(spec.notAfter()), subject, spec.publicKey());
        try {
            addExtensions(builder, spec, subject, issuerCertificate);
        } catch (IOException e) {
            throw new PkiException("cannot encode certificate extensions: " + e.getMessage(), e);
        }

        X509CertificateHolder holder;
        try {
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm).setProvider(Providers.BC).build(issuerKey);
            holder = builder.build(signer);
        } catch (OperatorCreationException | RuntimeException e) {
            throw new PkiException("cannot sign with the " + issuerKey.getAlgorithm() + " issuer key using "
                    + signatureAlgorithm + ": " + e.getMessage(), e);
        }
        X509Certificate certificate;
        try {
            certificate = new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new PkiException("the signed certificate cannot be read back: " + e.getMessage(), e);
        }
        try {
            certificate.verify(Providers.bouncyCastleKey(issuerPublicKey), Providers.BC);
        } catch (GeneralSecurityException e) {
            throw new PkiException("the issuer private key does not match the issuer's public key"
                    + (issuerCertificate == null ? " (for a self-signed certificate, the spec's public key)" : "")
                    + ": the new certificate's signature does not verify", e);
        }
        return certificate;
    }

    private static void addExtensions(X509v3CertificateBuilder builder, CertificateSpec spec, X500Name subject,
            @Nullable X509Certificate issuerCertificate) throws IOException {
        JcaX509ExtensionUtils utils = extensionUtils();

        // RFC 5280 4.2.1.9: MUST be critical in CA certificates; we mark it critical everywhere.
        // pathLenConstraint is only meaningful with cA TRUE, and negative values are invalid.
        Integer pathLength = spec.pathLength();
        if (pathLength != null && (!spec.ca() || pathLength < 0)) {
            throw new PkiException(spec.ca() ? "pathLength must not be negative, was " + pathLength
                    : "pathLength is only allowed on CA certificates (RFC 5280 4.2.1.9)");
        }
        BasicConstraints basicConstraints = !spec.ca() ? new BasicConstraints(false)
                : pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength);
        builder.addExtension(Extension.basicConstraints, true, basicConstraints);

        // RFC 5280 4.2.1.3: conforming CAs SHOULD mark keyUsage critical.
        if (!spec.keyUsage().isEmpty()) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsageBits(spec)));
        }

        if (!spec.extendedKeyUsage().isEmpty()) {
            KeyPurposeId[] purposes = spec.extendedKeyUsage().stream().map(CertificateSigner::purpose).toArray(KeyPurposeId[]::new);
            builder.addExtension(Extension.extendedKeyUsage, false, new org.bouncycastle.asn1.x509.ExtendedKeyUsage(purposes));
        }

        AltNames altNames = new AltNames(spec.dnsNames(), spec.ipAddresses());
        boolean emptySubject = subject.getRDNs().length == 0;
        if (!altNames.isEmpty()) {
            // RFC 5280 4.2.1.6: with an empty subject the SAN is the only identity, so it MUST be critical.
            builder.addExtension(Extension.subjectAlternativeName, emptySubject, altNames.toGeneralNames());
        } else if (emptySubject) {
            throw new PkiException("a certificate with an empty subject needs at least one SAN (RFC 5280 4.2.1.6)");
        }

        // RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING; MUST be non-critical.
        SubjectKeyIdentifier subjectKeyId = utils.createSubjectKeyIdentifier(spec.publicKey());
        builder.addExtension(Extension.subjectKeyIdentifier, false, subjectKeyId);

        // RFC 5280 4.2.1.1: keyIdentifier only (no issuer name and serial, which would pin the
        // issuer certificate and break cross-signing); MUST be non-critical.
        byte[] authorityKeyId = issuerCertificate == null ? subjectKeyId.getKeyIdentifier() : keyIdentifierOf(issuerCertificate, utils);
        builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));

        // RFC 5280 4.2.2.1: authorityInfoAccess MUST be non-critical.
        List<AccessDescription> access = new ArrayList<>(2);
        if (spec.ocspUrl() != null) {
            access.add(new AccessDescription(AccessDescription.id_ad_ocsp, uri(spec.ocspUrl())));
        }
        if (spec.caIssuersUrl() != null) {
            access.add(new AccessDescription(AccessDescription.id_ad_caIssuers, uri(spec.caIssuersUrl())));
        }
        if (!access.isEmpty()) {
            builder.addExtension(Extension.authorityInfoAccess, false,
                    new AuthorityInformationAccess(access.toArray(AccessDescription[]::new)));
        }

        // RFC 5280 4.2.1.13: SHOULD be non-critical.
        if (spec.crlUrl() != null) {
            DistributionPoint point = new DistributionPoint(
                    new DistributionPointName(new GeneralNames(uri(spec.crlUrl()))), null, null);
            builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {point}));
        }
    }

    /** The issuer's SKI as it appears in its certificate, or method 1 over its key if it has none. */
    private static byte[] keyIdentifierOf(X509Certificate issuerCertificate, JcaX509ExtensionUtils utils) {
        byte[] extension = issuerCertificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension == null) {
            return utils.createSubjectKeyIdentifier(issuerCertificate.getPublicKey()).getKeyIdentifier();
        }
        try {
            return ASN1OctetString.getInstance(JcaX509ExtensionUtils.parseExtensionValue(extension)).getOctets();
        } catch (IOException | RuntimeException e) {
            throw new PkiException("issuer certificate's subjectKeyIdentifier extension is malformed: " + e.getMessage(), e);
        }
    }

    private static int keyUsageBits(CertificateSpec spec) {
        int bits = 0;
        for (KeyUsageBit bit : spec.keyUsage()) {
            bits |= switch (bit) {
                case DIGITAL_SIGNATURE -> KeyUsage.digitalSignature;
                case KEY_ENCIPHERMENT -> KeyUsage.keyEncipherment;
                case KEY_CERT_SIGN -> KeyUsage.keyCertSign;
                case CRL_SIGN -> KeyUsage.cRLSign;
            };
        }
        return bits;
    }

    private static KeyPurposeId purpose(ExtendedKeyUsage usage) {
        return switch (usage) {
            case SERVER_AUTH -> KeyPurposeId.id_kp_serverAuth;
            case CLIENT_AUTH -> KeyPurposeId.id_kp_clientAuth;
            case OCSP_SIGNING -> KeyPurposeId.id_kp_OCSPSigning;
        };
    }

    /**
     * RFC 5280 4.1.2.5: whole seconds, UTCTime through 2049 and GeneralizedTime from 2050, which is
     * the choice BouncyCastle's {@link Time#Time(Date)} makes.
     */
    private static Time time(Instant instant) {
        return new Time(Date.from(instant.truncatedTo(ChronoUnit.SECONDS)));
    }

    static X500Name x500Name(String rfc2253) {
        try {
            return X500Name.getInstance(new X500Principal(rfc2253).getEncoded());
        } catch (IllegalArgumentException e) {
            throw new PkiException("subject \"" + rfc2253 + "\" is not a valid RFC 2253 distinguished name: " + e.getMessage(), e);
        }
    }

    private static GeneralName uri(String url) {
        // A URI GeneralName is an IA5String (RFC 5280 4.2.1.6); BouncyCastle would silently mangle other characters.
        if (!url.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new PkiException("URL \"" + url + "\" contains characters outside printable ASCII");
        }
        return new GeneralName(GeneralName.uniformResourceIdentifier, url);
    }

    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (NoSuchAlgorithmException e) {
            throw new PkiException("SHA-1 is not available for key identifiers: " + e.getMessage(), e);
        }
    }
}
