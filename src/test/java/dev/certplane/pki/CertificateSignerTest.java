package dev.certplane.pki;

import static dev.certplane.pki.Fixtures.INTERMEDIATE;
import static dev.certplane.pki.Fixtures.INTERMEDIATE_KEYS;
import static dev.certplane.pki.Fixtures.LEAF;
import static dev.certplane.pki.Fixtures.ROOT;
import static dev.certplane.pki.Fixtures.ROOT_KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Test;

class CertificateSignerTest {

    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    @Test
    void chainValidatesWithJdkPkix() throws Exception {
        validate(List.of(LEAF, INTERMEDIATE), ROOT, Fixtures.INSIDE_VALIDITY);
    }

    @Test
    void pkixRejectsTheChainOutsideTheLeafValidity() {
        assertThatThrownBy(() -> validate(List.of(LEAF, INTERMEDIATE), ROOT, Instant.parse("2026-05-01T00:00:00Z")))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void pkixRejectsALeafSignedDirectlyByTheWrongCa() throws Exception {
        // Same names and AKI as LEAF but signed by the root key: the signature check must catch it.
        X509Certificate forged = CertificateSigner.sign(Fixtures.leafSpec().build(), ROOT, ROOT_KEYS.getPrivate());
        assertThatThrownBy(() -> validate(List.of(forged, INTERMEDIATE), ROOT, Fixtures.INSIDE_VALIDITY))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void rootIsSelfSigned() throws Exception {
        assertThat(ROOT.getIssuerX500Principal()).isEqualTo(ROOT.getSubjectX500Principal());
        assertThat(ROOT.getSubjectX500Principal().getName()).isEqualTo("CN=Certplane Test Root CA,O=Certplane");
        ROOT.verify(ROOT_KEYS.getPublic());
        assertThat(ROOT.getVersion()).isEqualTo(3);
    }

    @Test
    void issuerNameIsTheIssuersSubject() {
        assertThat(INTERMEDIATE.getIssuerX500Principal()).isEqualTo(ROOT.getSubjectX500Principal());
        assertThat(LEAF.getIssuerX500Principal()).isEqualTo(INTERMEDIATE.getSubjectX500Principal());
        assertThat(LEAF.getSubjectX500Principal().getName()).isEqualTo("CN=www.example.com");
    }

    @Test
    void basicConstraintsAreCriticalWithPathLengths() {
        assertThat(ROOT.getBasicConstraints()).isEqualTo(1);
        assertThat(INTERMEDIATE.getBasicConstraints()).isEqualTo(0);
        assertThat(LEAF.getBasicConstraints()).isEqualTo(-1);
        for (X509Certificate cert : List.of(ROOT, INTERMEDIATE, LEAF)) {
            assertThat(cert.getCriticalExtensionOIDs()).contains(BASIC_CONSTRAINTS, KEY_USAGE);
        }
        // A leaf's basicConstraints is present and says cA FALSE (an empty SEQUENCE in DER).
        assertThat(LEAF.getExtensionValue(BASIC_CONSTRAINTS)).isNotNull();
    }

    @Test
    void unlimitedPathLengthOmitsTheConstraint() {
        X509Certificate unlimited = CertificateSigner.sign(Fixtures.rootSpec().ca(null).build(), null, ROOT_KEYS.getPrivate());
        assertThat(unlimited.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void keyUsageBitsFollowTheSpec() {
        // Indices per RFC 5280 4.2.1.3: 0 digitalSignature, 2 keyEncipherment, 5 keyCertSign, 6 cRLSign.
        boolean[] root = ROOT.getKeyUsage();
        assertThat(root[0]).isFalse();
        assertThat(root[5]).isTrue();
        assertThat(root[6]).isTrue();
        boolean[] leaf = LEAF.getKeyUsage();
        assertThat(leaf[0]).isTrue();
        assertThat(leaf[2]).isFalse();
        assertThat(leaf[5]).isFalse();
        assertThat(leaf[6]).isFalse();
    }

    @Test
    void emptyKeyUsageOmitsTheExtension() {
        CertificateSpec spec = Fixtures.leafSpec().keyUsage(Set.of()).build();
        X509Certificate cert = CertificateSigner.sign(spec, INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate());
        assertThat(cert.getKeyUsage()).isNull();
        assertThat(cert.getExtensionValue(KEY_USAGE)).isNull();
    }

    @Test
    void extendedKeyUsageIsNonCritical() throws Exception {
        assertThat(LEAF.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(LEAF.getNonCriticalExtensionOIDs()).contains("2.5.29.37");
        assertThat(ROOT.getExtendedKeyUsage()).isNull();
        CertificateSpec both = Fixtures.leafSpec()
                .extendedKeyUsage(List.of(ExtendedKeyUsage.SERVER_AUTH, ExtendedKeyUsage.CLIENT_AUTH)).build();
        X509Certificate cert = CertificateSigner.sign(both, INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate());
        assertThat(cert.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, ExtendedKeyUsage.CLIENT_AUTH.oid());
    }

    @Test
    void subjectAltNamesCarryDnsAndIpEntries() throws Exception {
        assertThat(Certificates.dnsNames(LEAF)).containsExactly("www.example.com");
        assertThat(Certificates.ipAddresses(LEAF)).containsExactly("192.0.2.1");
        // Cross-check with the JDK's own SAN parser: type 2 is dNSName, 7 is iPAddress.
        assertThat(LEAF.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "www.example.com"), List.of(7, "192.0.2.1"));
        assertThat(LEAF.getNonCriticalExtensionOIDs()).contains(SUBJECT_ALT_NAME);
    }

    @Test
    void emptySubjectMakesTheSanCritical() throws Exception {
        CertificateSpec spec = Fixtures.leafSpec().subject("").build();
        X509Certificate cert = CertificateSigner.sign(spec, INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate());
        assertThat(cert.getSubjectX500Principal().getName()).isEmpty();
        assertThat(cert.getCriticalExtensionOIDs()).contains(SUBJECT_ALT_NAME);
        validate(List.of(cert, INTERMEDIATE), ROOT, Fixtures.INSIDE_VALIDITY);
    }

    @Test
    void emptySubjectWithoutSansIsRefused() {
        CertificateSpec spec = Fixtures.leafSpec().subject("").dnsNames(List.of()).ipAddresses(List.of()).build();
        assertThatThrownBy(() -> CertificateSigner.sign(spec, INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate()))
                .isInstanceOf(PkiException.class)
                .hasMessage("a certificate with an empty subject needs at least one SAN (RFC 5280 4.2.1.6)");
    }

    @Test
    void subjectKeyIdentifierIsSha1OfTheKeyBitString() throws Exception {
        for (X509Certificate cert : List.of(ROOT, INTERMEDIATE, LEAF)) {
            byte[] keyBits = SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded()).getPublicKeyData().getBytes();
            byte[] expected = MessageDigest.getInstance("SHA-1").digest(keyBits);
            assertThat(subjectKeyId(cert)).isEqualTo(expected);
            assertThat(cert.getNonCriticalExtensionOIDs()).contains("2.5.29.14", "2.5.29.35");
        }
    }

    @Test
    void authorityKeyIdentifierIsTheIssuersSubjectKeyIdentifier() throws Exception {
        assertThat(authorityKeyId(LEAF).getKeyIdentifierOctets()).isEqualTo(subjectKeyId(INTERMEDIATE));
        assertThat(authorityKeyId(INTERMEDIATE).getKeyIdentifierOctets()).isEqualTo(subjectKeyId(ROOT));
        assertThat(authorityKeyId(ROOT).getKeyIdentifierOctets()).isEqualTo(subjectKeyId(ROOT));
        // keyIdentifier only: no issuer name and serial pinning the issuer certificate.
        assertThat(authorityKeyId(LEAF).getAuthorityCertIssuer()).isNull();
        assertThat(authorityKeyId(LEAF).getAuthorityCertSerialNumber()).isNull();
        assertThat(subjectKeyId(LEAF)).isNotEqualTo(subjectKeyId(INTERMEDIATE));
    }

    @Test
    void authorityInfoAccessAndCrlDistributionPointFollowTheUrls() throws Exception {
        X509CertificateHolder leaf = new JcaX509CertificateHolder(LEAF);
        AuthorityInformationAccess aia = AuthorityInformationAccess.fromExtensions(leaf.getExtensions());
        assertThat(aia).isNotNull();
        AccessDescription[] descriptions = aia.getAccessDescriptions();
        assertThat(descriptions).hasSize(2);
        assertThat(descriptions[0].getAccessMethod()).isEqualTo(AccessDescription.id_ad_ocsp);
        assertThat(uri(descriptions[0].getAccessLocation())).isEqualTo(Fixtures.OCSP_URL);
        assertThat(descriptions[1].getAccessMethod()).isEqualTo(AccessDescription.id_ad_caIssuers);
        assertThat(uri(descriptions[1].getAccessLocation())).isEqualTo(Fixtures.CA_ISSUERS_URL);
        assertThat(leaf.getExtension(Extension.authorityInfoAccess).isCritical()).isFalse();

        CRLDistPoint crl = CRLDistPoint.fromExtensions(leaf.getExtensions());
        DistributionPoint[] points = crl.getDistributionPoints();
        assertThat(points).hasSize(1);
        GeneralName[] names = GeneralNames.getInstance(points[0].getDistributionPoint().getName()).getNames();
        assertThat(uri(names[0])).isEqualTo(Fixtures.CRL_URL);

        // The intermediate has only a CRL URL; the root has none of the three.
        assertThat(INTERMEDIATE.getExtensionValue(Extension.authorityInfoAccess.getId())).isNull();
        assertThat(INTERMEDIATE.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNotNull();
        assertThat(ROOT.getExtensionValue(Extension.authorityInfoAccess.getId())).isNull();
        assertThat(ROOT.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNull();
    }

    @Test
    void ocspOnlyAuthorityInfoAccess() throws Exception {
        CertificateSpec spec = Fixtures.leafSpec().caIssuersUrl(null).build();
        X509Certificate cert = CertificateSigner.sign(spec, INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate());
        AccessDescription[] descriptions = AuthorityInformationAccess
                .fromExtensions(new JcaX509CertificateHolder(cert).getExtensions()).getAccessDescriptions();
        assertThat(descriptions).extracting(AccessDescription::getAccessMethod).containsExactly(AccessDescription.id_ad_ocsp);
    }

    @Test
    void signatureAlgorithmFollowsTheIssuerKey() {
        assertThat(ROOT.getSigAlgName()).isEqualTo("SHA384withECDSA");
        assertThat(INTERMEDIATE.getSigAlgName()).isEqualTo("SHA384withECDSA");
        assertThat(LEAF.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void rsaIssuerSignsWithSha256WithRsa() throws Exception {
        PublicKey rsaPublic = Fixtures.Rsa.KEYS.getPublic();
        CertificateSpec rootSpec = Fixtures.rootSpec().subject("CN=RSA Root").publicKey(rsaPublic).build();
        X509Certificate rsaRoot = CertificateSigner.sign(rootSpec, null, Fixtures.Rsa.KEYS.getPrivate());
        assertThat(rsaRoot.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(rsaRoot.getSigAlgOID()).isEqualTo("1.2.840.113549.1.1.11");

        X509Certificate leaf = CertificateSigner.sign(Fixtures.leafSpec().build(), rsaRoot, Fixtures.Rsa.KEYS.getPrivate());
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
        leaf.verify(rsaPublic);
        validate(List.of(leaf), rsaRoot, Fixtures.INSIDE_VALIDITY);
    }

    @Test
    void validityIsTruncatedToSecondsAndUsesGeneralizedTimeFrom2050() throws Exception {
        Instant notBefore = Instant.parse("2049-12-31T23:59:59.750Z");
        Instant notAfter = Instant.parse("2050-01-01T00:00:00.999Z");
        CertificateSpec spec = Fixtures.rootSpec().validity(notBefore, notAfter).build();
        X509Certificate cert = CertificateSigner.sign(spec, null, ROOT_KEYS.getPrivate());
        assertThat(cert.getNotBefore()).isEqualTo(Date.from(Instant.parse("2049-12-31T23:59:59Z")));
        assertThat(cert.getNotAfter()).isEqualTo(Date.from(Instant.parse("2050-01-01T00:00:00Z")));
        // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
        var structure = new JcaX509CertificateHolder(cert).toASN1Structure();
        assertThat(structure.getStartDate().toASN1Primitive()).isInstanceOf(ASN1UTCTime.class);
        assertThat(structure.getEndDate().toASN1Primitive()).isInstanceOf(ASN1GeneralizedTime.class);
    }

    @Test
    void serialIsCopiedIntoTheCertificate() {
        assertThat(LEAF.getSerialNumber()).isPositive();
        CertificateSpec spec = Fixtures.leafSpec().serial(new java.math.BigInteger("0123456789abcdef0123", 16)).build();
        X509Certificate cert = CertificateSigner.sign(spec, INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate());
        assertThat(Certificates.serialHex(cert)).isEqualTo("123456789abcdef0123");
    }

    @Test
    void wrongIssuerKeyIsRefusedInsteadOfProducingAnUnverifiableCertificate() {
        assertThatThrownBy(() -> CertificateSigner.sign(Fixtures.leafSpec().build(), INTERMEDIATE, Fixtures.LEAF_KEYS.getPrivate()))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("the issuer private key does not match the issuer's public key");
    }

    @Test
    void selfSignedWithAKeyThatIsNotTheSpecsIsRefused() {
        assertThatThrownBy(() -> CertificateSigner.sign(Fixtures.rootSpec().build(), null, INTERMEDIATE_KEYS.getPrivate()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("(for a self-signed certificate, the spec's public key)");
    }

    @Test
    void pathLengthOnALeafIsRefused() {
        CertificateSpec spec = Fixtures.leafSpec().pathLength(0).build();
        assertThatThrownBy(() -> CertificateSigner.sign(spec, INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate()))
                .isInstanceOf(PkiException.class)
                .hasMessage("pathLength is only allowed on CA certificates (RFC 5280 4.2.1.9)");
    }

    @Test
    void invalidSubjectIsRefused() {
        CertificateSpec spec = Fixtures.leafSpec().subject("not a dn").build();
        assertThatThrownBy(() -> CertificateSigner.sign(spec, INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate()))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("subject \"not a dn\" is not a valid RFC 2253 distinguished name");
    }

    @Test
    void invalidIpAddressIsRefused() {
        CertificateSpec spec = Fixtures.leafSpec().ipAddresses(List.of("999.1.1.1")).build();
        assertThatThrownBy(() -> CertificateSigner.sign(spec, INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate()))
                .isInstanceOf(PkiException.class)
                .hasMessage("iPAddress \"999.1.1.1\" is not an IPv4 or IPv6 literal");
    }

    private static void validate(List<X509Certificate> path, X509Certificate anchor, Instant at) throws Exception {
        CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    }

    private static byte[] subjectKeyId(X509Certificate cert) throws Exception {
        return SubjectKeyIdentifier.getInstance(
                JcaX509ExtensionUtils.parseExtensionValue(cert.getExtensionValue(Extension.subjectKeyIdentifier.getId())))
                .getKeyIdentifier();
    }

    private static AuthorityKeyIdentifier authorityKeyId(X509Certificate cert) throws Exception {
        return AuthorityKeyIdentifier.getInstance(
                JcaX509ExtensionUtils.parseExtensionValue(cert.getExtensionValue(Extension.authorityKeyIdentifier.getId())));
    }

    private static String uri(GeneralName name) {
        assertThat(name.getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
        return name.getName().toString();
    }
}
