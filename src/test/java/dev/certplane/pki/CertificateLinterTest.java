package dev.certplane.pki;

import static dev.certplane.pki.Fixtures.INTERMEDIATE;
import static dev.certplane.pki.Fixtures.LEAF;
import static dev.certplane.pki.Fixtures.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateLinterTest {

    @Test
    void cleanSpecsHaveNoFindings() {
        assertThat(CertificateLinter.lint(Fixtures.rootSpec().build(), null)).isEmpty();
        assertThat(CertificateLinter.lint(Fixtures.intermediateSpec().build(), ROOT)).isEmpty();
        assertThat(CertificateLinter.lint(Fixtures.leafSpec().build(), INTERMEDIATE)).isEmpty();
        assertThatCode(() -> CertificateLinter.requireClean(Fixtures.leafSpec().build(), INTERMEDIATE)).doesNotThrowAnyException();
    }

    @Test
    void cleanEdgeCases() {
        // Validity exactly matching the issuer's, an IPv6-only leaf with an empty subject, a wildcard.
        CertificateSpec spec = Fixtures.leafSpec()
                .subject("")
                .validity(Fixtures.INTERMEDIATE_NOT_BEFORE, Fixtures.INTERMEDIATE_NOT_AFTER)
                .dnsNames(List.of("*.example.com", "localhost", "xn--bcher-kva.example"))
                .ipAddresses(List.of("2001:db8::1", "0.0.0.0"))
                .build();
        assertThat(CertificateLinter.lint(spec, INTERMEDIATE)).isEmpty();
        assertThat(CertificateLinter.lint(Fixtures.leafSpec().publicKey(Fixtures.Rsa.KEYS.getPublic()).build(), INTERMEDIATE)).isEmpty();
    }

    @Test
    void requireCleanJoinsAllFindings() {
        CertificateSpec spec = Fixtures.leafSpec().serial(BigInteger.ZERO).dnsNames(List.of("Bad_Name")).build();
        assertThatThrownBy(() -> CertificateLinter.requireClean(spec, INTERMEDIATE))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("certificate lint failed: serial must be positive")
                .hasMessageContaining("; dNSName \"Bad_Name\" is not a valid hostname");
    }

    @Test
    void serialMustBePositive() {
        assertFinding(Fixtures.leafSpec().serial(BigInteger.ZERO), "serial must be positive (RFC 5280 4.1.2.2), was 0");
        assertFinding(Fixtures.leafSpec().serial(BigInteger.valueOf(-5).shiftLeft(100)), "serial must be positive");
    }

    @Test
    void serialMustFitIn20Octets() {
        // 2^159 needs a leading zero octet in DER: 21 octets.
        assertFinding(Fixtures.leafSpec().serial(BigInteger.ONE.shiftLeft(159)), "serial is 21 octets; RFC 5280 4.1.2.2 allows at most 20");
        assertThat(CertificateLinter.lint(Fixtures.leafSpec().serial(BigInteger.ONE.shiftLeft(158)).build(), INTERMEDIATE)).isEmpty();
    }

    @Test
    void serialMustHave64Bits() {
        assertFinding(Fixtures.leafSpec().serial(BigInteger.valueOf(4096)), "serial has only 13 bits; at least 64");
        assertThat(CertificateLinter.lint(Fixtures.leafSpec().serial(BigInteger.ONE.shiftLeft(63)).build(), INTERMEDIATE)).isEmpty();
    }

    @Test
    void notBeforeMustPrecedeNotAfter() {
        Instant t = Instant.parse("2026-02-01T00:00:00Z");
        assertFinding(Fixtures.leafSpec().validity(t, t), "notBefore 2026-02-01T00:00:00Z is not before notAfter 2026-02-01T00:00:00Z");
        assertFinding(Fixtures.leafSpec().validity(t, t.minusSeconds(60)), "is not before notAfter");
        // Sub-second differences vanish in the certificate, so they do not count.
        assertFinding(Fixtures.leafSpec().validity(t, t.plusMillis(500)), "is not before notAfter");
    }

    @Test
    void validityMustNestInTheIssuers() {
        assertFinding(Fixtures.leafSpec().validity(Fixtures.INTERMEDIATE_NOT_BEFORE.minusSeconds(1), Fixtures.LEAF_NOT_AFTER),
                "validity starts before the issuer's");
        assertFinding(Fixtures.leafSpec().validity(Fixtures.LEAF_NOT_BEFORE, Fixtures.INTERMEDIATE_NOT_AFTER.plusSeconds(1)),
                "validity ends after the issuer's");
        // A root has no issuer to nest in.
        assertThat(CertificateLinter.lint(
                Fixtures.rootSpec().validity(Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2099-01-01T00:00:00Z")).build(), null))
                .isEmpty();
    }

    @Test
    void caNeedsKeyCertSign() {
        assertFinding(Fixtures.rootSpec().keyUsage(Set.of(KeyUsageBit.CRL_SIGN)), null,
                "CA certificate lacks KEY_CERT_SIGN key usage (RFC 5280 4.2.1.3)");
    }

    @Test
    void caNeedsASubject() {
        assertFinding(Fixtures.rootSpec().subject(""), null, "CA certificate must have a non-empty subject (RFC 5280 4.1.2.6)");
    }

    @Test
    void issuerMustBeACa() {
        assertFinding(Fixtures.leafSpec().validity(Fixtures.LEAF_NOT_BEFORE, Fixtures.LEAF_NOT_AFTER), LEAF,
                "is not a CA (basicConstraints cA is not TRUE)");
        assertFinding(Fixtures.leafSpec(), LEAF, "issuer's keyUsage lacks keyCertSign");
    }

    @Test
    void issuerPathLengthZeroForbidsAnotherCa() {
        CertificateSpec subCa = Fixtures.intermediateSpec()
                .subject("CN=Too Deep")
                .validity(Fixtures.LEAF_NOT_BEFORE, Fixtures.LEAF_NOT_AFTER)
                .build();
        assertThat(CertificateLinter.lint(subCa, INTERMEDIATE))
                .anySatisfy(finding -> assertThat(finding).contains("issuer's pathLength 0 does not allow another CA below it"));
    }

    @Test
    void caPathLengthMustBeBelowTheIssuers() {
        assertFinding(Fixtures.intermediateSpec().pathLength(1), ROOT, "pathLength 1 is not below the issuer's pathLength 1");
        assertFinding(Fixtures.intermediateSpec().pathLength(null), ROOT, "pathLength unlimited is not below the issuer's pathLength 1");
        assertFinding(Fixtures.rootSpec().pathLength(-1), null, "pathLength must not be negative, was -1");
    }

    @Test
    void leafNeedsASan() {
        assertFinding(Fixtures.leafSpec().dnsNames(List.of()).ipAddresses(List.of()),
                "leaf certificate has no SAN; at least one dNSName or iPAddress is required");
        assertThat(CertificateLinter.lint(Fixtures.leafSpec().dnsNames(List.of()).build(), INTERMEDIATE)).isEmpty();
        assertThat(CertificateLinter.lint(Fixtures.leafSpec().ipAddresses(List.of()).build(), INTERMEDIATE)).isEmpty();
    }

    @Test
    void leafMustNotSignCertificatesOrCrls() {
        assertFinding(Fixtures.leafSpec().keyUsage(Set.of(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.KEY_CERT_SIGN)),
                "leaf certificate must not have KEY_CERT_SIGN key usage");
        assertFinding(Fixtures.leafSpec().keyUsage(Set.of(KeyUsageBit.CRL_SIGN)), "leaf certificate must not have CRL_SIGN key usage");
        assertFinding(Fixtures.leafSpec().pathLength(0), "pathLength is set on a non-CA certificate");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "WWW.example.com", "www..example.com", "-www.example.com", "www-.example.com", "www.example.com.",
        "ww w.example.com", "www_1.example.com", "*.*.example.com", "www.*.example.com", "*", "*.", "w*.example.com",
        "bücher.example", "192.0.2.1", "a.b.c.d.example.com/path", "example.com:443"
    })
    void invalidHostnamesAreFindings(String name) {
        assertFinding(Fixtures.leafSpec().dnsNames(List.of(name)), "dNSName \"" + name + "\" is not a valid hostname: ");
    }

    @Test
    void hostnameLengthLimits() {
        String label63 = "a".repeat(63);
        String label64 = "a".repeat(64);
        assertThat(CertificateLinter.hostnameProblem(label63 + ".example.com")).isNull();
        assertThat(CertificateLinter.hostnameProblem(label64 + ".example.com"))
                .isEqualTo("label \"" + label64 + "\" is 64 characters; at most 63 are allowed (RFC 1035 2.3.4)");
        String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
        assertThat(name253).hasSize(253);
        assertThat(CertificateLinter.hostnameProblem(name253)).isNull();
        assertThat(CertificateLinter.hostnameProblem(name253 + "a"))
                .isEqualTo("it is 254 characters long; at most 253 are allowed (RFC 1035 2.3.4)");
    }

    @Test
    void duplicateNamesAreFindings() {
        assertFinding(Fixtures.leafSpec().dnsNames(List.of("a.example.com", "a.example.com")), "dNSName \"a.example.com\" appears more than once");
        assertFinding(Fixtures.leafSpec().ipAddresses(List.of("192.0.2.1", "192.0.2.1")), "iPAddress \"192.0.2.1\" appears more than once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4/24", "localhost", "2001:db8::1::2",
        "2001:db8::g", "fe80::1%eth0", " 1.2.3.4"})
    void invalidIpAddressesAreFindings(String ip) {
        assertFinding(Fixtures.leafSpec().ipAddresses(List.of(ip)), "iPAddress \"" + ip + "\" is not an IPv4 or IPv6 literal");
    }

    @Test
    void rsaKeysNeed2048Bits() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        PublicKey weak = generator.generateKeyPair().getPublic();
        assertFinding(Fixtures.leafSpec().publicKey(weak), "RSA key is 1024 bits; at least 2048 are required");
    }

    @Test
    void ecKeysMustBeP256OrP384() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp521r1"));
        assertFinding(Fixtures.leafSpec().publicKey(generator.generateKeyPair().getPublic()),
                "EC key is on curve 1.3.132.0.35; only P-256 and P-384 are allowed");
        KeyPairGenerator bc = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        bc.initialize(new ECGenParameterSpec("secp256k1"));
        assertFinding(Fixtures.leafSpec().publicKey(bc.generateKeyPair().getPublic()), "EC key is on curve 1.3.132.0.10");
    }

    @Test
    void otherKeyAlgorithmsAreFindings() throws Exception {
        PublicKey ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        assertFinding(Fixtures.leafSpec().publicKey(ed25519), "is not allowed; expected RSA or EC");
    }

    @Test
    void ecKeysCannotEncipherKeys() {
        assertFinding(Fixtures.leafSpec().keyUsage(Set.of(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.KEY_ENCIPHERMENT)),
                "KEY_ENCIPHERMENT is not a valid key usage for an EC key (RFC 5480 3)");
        CertificateSpec rsa = Fixtures.leafSpec().publicKey(Fixtures.Rsa.KEYS.getPublic())
                .keyUsage(Set.of(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.KEY_ENCIPHERMENT)).build();
        assertThat(CertificateLinter.lint(rsa, INTERMEDIATE)).isEmpty();
    }

    @Test
    void urlsMustBeAbsoluteHttp() {
        assertFinding(Fixtures.leafSpec().ocspUrl("ocsp.example.com"), "ocspUrl \"ocsp.example.com\" is not an absolute http or https URL");
        assertFinding(Fixtures.leafSpec().caIssuersUrl("ldap://ldap.example.com/cn=ca"), "caIssuersUrl \"ldap://ldap.example.com/cn=ca\" is not");
        assertFinding(Fixtures.leafSpec().crlUrl("http://crl.example.com/a b.crl"), "crlUrl \"http://crl.example.com/a b.crl\" is not");
        assertThat(CertificateLinter.lint(Fixtures.leafSpec().crlUrl("https://crl.example.com:8443/x.crl").build(), INTERMEDIATE)).isEmpty();
    }

    @Test
    void invalidSubjectIsAFinding() {
        assertFinding(Fixtures.leafSpec().subject("CN"), "subject \"CN\" is not a valid RFC 2253 distinguished name");
    }

    @Test
    void everyProblemIsReportedInOnePass() {
        CertificateSpec spec = Fixtures.leafSpec()
                .serial(BigInteger.ONE)
                .keyUsage(Set.of(KeyUsageBit.KEY_CERT_SIGN))
                .dnsNames(List.of("UPPER.example.com"))
                .ipAddresses(List.of("nope"))
                .build();
        assertThat(CertificateLinter.lint(spec, INTERMEDIATE)).hasSize(4);
    }

    private static void assertFinding(SpecBuilder spec, String fragment) {
        assertFinding(spec, INTERMEDIATE, fragment);
    }

    private static void assertFinding(SpecBuilder spec, java.security.cert.X509Certificate issuer, String fragment) {
        List<String> findings = CertificateLinter.lint(spec.build(), issuer);
        assertThat(findings).as("findings").anySatisfy(finding -> assertThat(finding).contains(fragment));
        assertThatThrownBy(() -> CertificateLinter.requireClean(spec.build(), issuer))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining(fragment);
    }
}
