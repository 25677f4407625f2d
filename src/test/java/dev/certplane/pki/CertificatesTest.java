package dev.certplane.pki;

import static dev.certplane.pki.Fixtures.INTERMEDIATE;
import static dev.certplane.pki.Fixtures.INTERMEDIATE_KEYS;
import static dev.certplane.pki.Fixtures.LEAF;
import static dev.certplane.pki.Fixtures.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class CertificatesTest {

    @Test
    void fingerprintsAreLowercaseHexDigestsOfTheDer() throws Exception {
        for (X509Certificate cert : List.of(ROOT, INTERMEDIATE, LEAF)) {
            String sha256 = Certificates.sha256Fingerprint(cert);
            String sha1 = Certificates.sha1Fingerprint(cert);
            assertThat(sha256).hasSize(64).matches("[0-9a-f]{64}");
            assertThat(sha1).hasSize(40).matches("[0-9a-f]{40}");
            assertThat(sha256).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));
            assertThat(sha1).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded())));
        }
        assertThat(Certificates.sha256Fingerprint(ROOT)).isNotEqualTo(Certificates.sha256Fingerprint(LEAF));
    }

    @Test
    void serialHexIsLowercaseWithoutLeadingZeros() {
        assertThat(Certificates.serialHex(withSerial(new BigInteger("00000abcdef0123456789", 16)))).isEqualTo("abcdef0123456789");
        assertThat(Certificates.serialHex(withSerial(BigInteger.valueOf(255)))).isEqualTo("ff");
        assertThat(Certificates.serialHex(LEAF)).isEqualTo(LEAF.getSerialNumber().toString(16)).doesNotStartWith("0");
    }

    @Test
    void sansAreReadInOrderAndIpv6IsShownUncompressed() {
        CertificateSpec spec = Fixtures.leafSpec()
                .dnsNames(List.of("b.example.com", "a.example.com", "*.example.com"))
                .ipAddresses(List.of("2001:db8::1", "10.0.0.1"))
                .build();
        X509Certificate cert = CertificateSigner.sign(spec, INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate());
        assertThat(Certificates.dnsNames(cert)).containsExactly("b.example.com", "a.example.com", "*.example.com");
        assertThat(Certificates.ipAddresses(cert)).containsExactly("2001:db8:0:0:0:0:0:1", "10.0.0.1");
    }

    @Test
    void certificateWithoutSanHasNoNames() {
        assertThat(Certificates.dnsNames(ROOT)).isEmpty();
        assertThat(Certificates.ipAddresses(ROOT)).isEmpty();
    }

    @Test
    void keyMatchesOnlyTheCertificatesOwnKey() {
        assertThat(Certificates.keyMatches(LEAF, Fixtures.LEAF_KEYS.getPrivate())).isTrue();
        assertThat(Certificates.keyMatches(ROOT, Fixtures.ROOT_KEYS.getPrivate())).isTrue();
        // Same curve, different key.
        assertThat(Certificates.keyMatches(LEAF, INTERMEDIATE_KEYS.getPrivate())).isFalse();
        // Different curve.
        assertThat(Certificates.keyMatches(LEAF, Fixtures.ROOT_KEYS.getPrivate())).isFalse();
        // Different algorithm.
        assertThat(Certificates.keyMatches(LEAF, Fixtures.Rsa.KEYS.getPrivate())).isFalse();
    }

    @Test
    void keyMatchesWorksForRsa() {
        CertificateSpec spec = Fixtures.leafSpec().publicKey(Fixtures.Rsa.KEYS.getPublic()).build();
        X509Certificate rsaLeaf = CertificateSigner.sign(spec, INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate());
        assertThat(Certificates.keyMatches(rsaLeaf, Fixtures.Rsa.KEYS.getPrivate())).isTrue();
        assertThat(Certificates.keyMatches(rsaLeaf, Fixtures.LEAF_KEYS.getPrivate())).isFalse();
    }

    @Test
    void parseRoundTripsTheDer() throws Exception {
        X509Certificate parsed = Certificates.parse(LEAF.getEncoded());
        assertThat(parsed).isEqualTo(LEAF);
        assertThat(parsed.getEncoded()).isEqualTo(LEAF.getEncoded());
    }

    @Test
    void parseRejectsEmptyInput() {
        assertThatThrownBy(() -> Certificates.parse(new byte[0]))
                .isInstanceOf(PkiException.class)
                .hasMessage("expected a DER certificate but the input is empty");
    }

    @Test
    void parseRejectsGarbageAndPemText() {
        assertThatThrownBy(() -> Certificates.parse("hello".getBytes()))
                .isInstanceOf(PkiException.class)
                .hasMessage("expected a DER certificate starting with a SEQUENCE tag (0x30) but the first byte is 0x68");
        assertThatThrownBy(() -> Certificates.parse(Pem.encodeCertificate(LEAF).getBytes()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("first byte is 0x2d");
    }

    @Test
    void parseRejectsTruncation() throws Exception {
        byte[] der = LEAF.getEncoded();
        for (int length : new int[] {1, 2, 10, der.length / 2, der.length - 1}) {
            byte[] truncated = Arrays.copyOf(der, length);
            assertThatThrownBy(() -> Certificates.parse(truncated))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(PkiException.class)
                    .hasMessageStartingWith("not a valid X.509 certificate");
        }
    }

    @Test
    void parseRejectsTrailingData() throws Exception {
        byte[] der = LEAF.getEncoded();
        byte[] padded = Arrays.copyOf(der, der.length + 3);
        assertThatThrownBy(() -> Certificates.parse(padded))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("trailing data");
    }

    @Test
    void parseWrapsTheUnderlyingException() {
        assertThatThrownBy(() -> Certificates.parse(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))
                .isInstanceOf(PkiException.class)
                .hasCauseInstanceOf(java.security.cert.CertificateException.class);
    }

    private static X509Certificate withSerial(BigInteger serial) {
        return CertificateSigner.sign(Fixtures.leafSpec().serial(serial).build(), INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate());
    }
}
