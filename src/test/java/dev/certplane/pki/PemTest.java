package dev.certplane.pki;

import static dev.certplane.pki.Fixtures.INTERMEDIATE;
import static dev.certplane.pki.Fixtures.LEAF;
import static dev.certplane.pki.Fixtures.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;

class PemTest {

    @Test
    void encodeCertificateWritesOneBlockOf64CharacterLines() throws Exception {
        String pem = Pem.encodeCertificate(LEAF);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n-----END CERTIFICATE-----\n");
        List<String> lines = pem.lines().toList();
        for (String line : lines.subList(1, lines.size() - 1)) {
            assertThat(line.length()).isBetween(1, 64);
        }
        String body = String.join("", lines.subList(1, lines.size() - 1));
        assertThat(Base64.getDecoder().decode(body)).isEqualTo(LEAF.getEncoded());
    }

    @Test
    void certificateRoundTrips() {
        assertThat(Pem.decodeCertificate(Pem.encodeCertificate(LEAF))).isEqualTo(LEAF);
        assertThat(Pem.decodeCertificates(Pem.encodeCertificate(ROOT))).containsExactly(ROOT);
    }

    @Test
    void chainRoundTripsInOrder() {
        List<X509Certificate> chain = List.of(LEAF, INTERMEDIATE, ROOT);
        String pem = Pem.encodeCertificates(chain);
        assertThat(pem.split("-----BEGIN CERTIFICATE-----", -1)).hasSize(4);
        assertThat(Pem.decodeCertificates(pem)).containsExactly(LEAF, INTERMEDIATE, ROOT);
        assertThat(Pem.encodeCertificates(List.of())).isEmpty();
    }

    @Test
    void textAroundAndBetweenBlocksAndCrlfLineEndsAreAccepted() {
        String pem = "Bag Attributes\r\nsubject=CN = www.example.com\r\n"
                + Pem.encodeCertificate(LEAF).replace("\n", "\r\n")
                + "\r\nissuer=CN = Certplane Test Root CA\r\n  "
                + Pem.encodeCertificate(INTERMEDIATE).replace("\n", "\n\t ")
                + "trailing notes";
        assertThat(Pem.decodeCertificates(pem)).containsExactly(LEAF, INTERMEDIATE);
    }

    @Test
    void pkcs8KeysRoundTrip() throws Exception {
        for (KeyPair keys : List.of(Fixtures.LEAF_KEYS, Fixtures.ROOT_KEYS, Fixtures.Rsa.KEYS)) {
            String pem = Pem.encodePrivateKey(keys.getPrivate());
            assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
            PrivateKey decoded = Pem.decodePrivateKey(pem);
            assertThat(decoded.getAlgorithm()).isEqualTo(keys.getPrivate().getAlgorithm());
            assertThat(decoded.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        }
        assertThat(Certificates.keyMatches(LEAF, Pem.decodePrivateKey(Pem.encodePrivateKey(Fixtures.LEAF_KEYS.getPrivate())))).isTrue();
    }

    @Test
    void pkcs1RsaPrivateKeyDecodes() throws Exception {
        RSAPrivateCrtKey original = (RSAPrivateCrtKey) Fixtures.Rsa.KEYS.getPrivate();
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            byte[] pkcs1 = PrivateKeyInfo.getInstance(original.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
            writer.writeObject(new PemObject("RSA PRIVATE KEY", pkcs1));
        }
        assertThat(out.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        RSAPrivateCrtKey decoded = (RSAPrivateCrtKey) Pem.decodePrivateKey(out.toString());
        assertThat(decoded.getModulus()).isEqualTo(original.getModulus());
        assertThat(decoded.getPrivateExponent()).isEqualTo(original.getPrivateExponent());
        assertThat(decoded.getPrimeP()).isEqualTo(original.getPrimeP());
    }

    @Test
    void sec1EcPrivateKeyDecodesAsOpenSslWritesIt() throws Exception {
        // OpenSSL's SEC1 keys carry the curve and public key; BouncyCastle's key encoding does too.
        String pem = traditionalPem(bouncyCastleCopy(Fixtures.LEAF_KEYS.getPrivate()));
        assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----");
        PrivateKey decoded = Pem.decodePrivateKey(pem);
        assertThat(((ECPrivateKey) decoded).getS()).isEqualTo(((ECPrivateKey) Fixtures.LEAF_KEYS.getPrivate()).getS());
        assertThat(Certificates.keyMatches(LEAF, decoded)).isTrue();

        // `openssl ecparam -genkey` writes an EC PARAMETERS block first.
        String withParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + pem;
        assertThat(Certificates.keyMatches(LEAF, Pem.decodePrivateKey(withParameters))).isTrue();

        String p384 = traditionalPem(bouncyCastleCopy(Fixtures.ROOT_KEYS.getPrivate()));
        assertThat(Certificates.keyMatches(ROOT, Pem.decodePrivateKey(p384))).isTrue();
    }

    @Test
    void sec1KeyWithoutCurveIsRefused() throws Exception {
        // The JDK encodes its EC keys without the optional curve field, so this SEC1 names no curve.
        String pem = traditionalPem(Fixtures.LEAF_KEYS.getPrivate());
        assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThatThrownBy(() -> Pem.decodePrivateKey(pem))
                .isInstanceOf(PkiException.class)
                .hasMessage("PEM block 1 (EC PRIVATE KEY, line 1) is not a valid private key: EC PRIVATE KEY does not name"
                        + " its curve (the optional parameters field is absent)");
    }

    @Test
    void emptyInputHasNoCertificate() {
        assertThatThrownBy(() -> Pem.decodeCertificates(""))
                .isInstanceOf(PkiException.class)
                .hasMessage("no CERTIFICATE block found");
    }

    @Test
    void garbageTextHasNoCertificate() {
        assertThatThrownBy(() -> Pem.decodeCertificates("this is not a certificate\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(PkiException.class)
                .hasMessage("no CERTIFICATE block found");
    }

    @Test
    void truncatedBase64BodyIsReported() throws Exception {
        String body = Base64.getEncoder().encodeToString(Fixtures.LEAF.getEncoded());
        // 4n+1 characters can never be base64.
        int length = (body.length() / 2) / 4 * 4 + 1;
        String pem = "-----BEGIN CERTIFICATE-----\n" + body.substring(0, length) + "\n-----END CERTIFICATE-----\n";
        assertThatThrownBy(() -> Pem.decodeCertificates(pem))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("PEM block 1 (CERTIFICATE, line 1) has a body that is not valid base64: ");
    }

    @Test
    void truncatedDerInsideValidBase64IsReported() throws Exception {
        String body = Base64.getEncoder().encodeToString(Fixtures.LEAF.getEncoded());
        String pem = "-----BEGIN CERTIFICATE-----\n" + body.substring(0, (body.length() / 2) / 4 * 4) + "\n-----END CERTIFICATE-----\n";
        assertThatThrownBy(() -> Pem.decodeCertificates(pem))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("PEM block 1 (CERTIFICATE, line 1) is not a valid certificate: not a valid X.509 certificate");
    }

    @Test
    void truncatedBeforeTheEndLineIsReported() {
        String pem = Pem.encodeCertificate(ROOT) + "\n" + Pem.encodeCertificate(LEAF).substring(0, 200);
        assertThatThrownBy(() -> Pem.decodeCertificates(pem))
                .isInstanceOf(PkiException.class)
                .hasMessage("PEM block 2 (CERTIFICATE, line " + (Pem.encodeCertificate(ROOT).lines().count() + 2)
                        + ") has no matching \"-----END CERTIFICATE-----\" line");
    }

    @Test
    void nonBase64CharactersAreReported() {
        assertThatThrownBy(() -> Pem.decodeCertificates("-----BEGIN CERTIFICATE-----\nMIIB$A==\n-----END CERTIFICATE-----"))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("not valid base64: Illegal base64 character 24");
        assertThatThrownBy(() -> Pem.decodeCertificates("-----BEGIN CERTIFICATE-----\n \n-----END CERTIFICATE-----"))
                .isInstanceOf(PkiException.class)
                .hasMessage("PEM block 1 (CERTIFICATE, line 1) has an empty body");
    }

    @Test
    void encryptedPrivateKeyIsRefused() {
        String pem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assertThatThrownBy(() -> Pem.decodePrivateKey(pem))
                .isInstanceOf(PkiException.class)
                .hasMessage("encrypted private keys are not supported; decrypt it first");
    }

    @Test
    void legacyOpenSslEncryptedKeyIsRefused() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\n"
                + "MIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n";
        assertThatThrownBy(() -> Pem.decodePrivateKey(pem))
                .isInstanceOf(PkiException.class)
                .hasMessage("encrypted private keys are not supported; decrypt it first");
    }

    @Test
    void decodeCertificateWantsExactlyOne() {
        assertThatThrownBy(() -> Pem.decodeCertificate(Pem.encodeCertificates(List.of(LEAF, INTERMEDIATE))))
                .isInstanceOf(PkiException.class)
                .hasMessage("expected exactly one CERTIFICATE block but found 2");
    }

    @Test
    void privateKeyInACertificateBundleIsReportedNotDropped() {
        String pem = Pem.encodeCertificate(LEAF) + Pem.encodePrivateKey(Fixtures.LEAF_KEYS.getPrivate());
        assertThatThrownBy(() -> Pem.decodeCertificates(pem))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("expected only CERTIFICATE blocks but PEM block 2 (PRIVATE KEY, line ")
                .hasMessageEndingWith(") is not one");
    }

    @Test
    void decodePrivateKeyWantsOneKeyBlock() {
        assertThatThrownBy(() -> Pem.decodePrivateKey(Pem.encodeCertificate(LEAF)))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("expected a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block but PEM block 1 (CERTIFICATE");
        assertThatThrownBy(() -> Pem.decodePrivateKey(""))
                .isInstanceOf(PkiException.class)
                .hasMessage("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found");
        String two = Pem.encodePrivateKey(Fixtures.LEAF_KEYS.getPrivate()) + Pem.encodePrivateKey(Fixtures.ROOT_KEYS.getPrivate());
        assertThatThrownBy(() -> Pem.decodePrivateKey(two))
                .isInstanceOf(PkiException.class)
                .hasMessage("expected exactly one private key block but found 2");
    }

    @Test
    void malformedKeyBodiesAreReported() {
        assertThatThrownBy(() -> Pem.decodePrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("PEM block 1 (PRIVATE KEY, line 1) is not a valid private key: ");
        // A valid SEQUENCE that is not an RSAPrivateKey.
        assertThatThrownBy(() -> Pem.decodePrivateKey("-----BEGIN RSA PRIVATE KEY-----\nMAMCAQE=\n-----END RSA PRIVATE KEY-----"))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("PEM block 1 (RSA PRIVATE KEY, line 1) is not a valid private key: body is not a PKCS#1 RSAPrivateKey");
    }

    @Test
    void unsupportedKeyAlgorithmIsReported() throws Exception {
        PrivateKey ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        assertThatThrownBy(() -> Pem.decodePrivateKey(Pem.encodePrivateKey(ed25519)))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("key algorithm 1.3.101.112 is not supported; expected RSA");
    }

    @Test
    void nonExportableKeyCannotBeEncoded() {
        PrivateKey hardware = new PrivateKey() {
            @Override
            public String getAlgorithm() {
                return "EC";
            }

            @Override
            public String getFormat() {
                return null;
            }

            @Override
            public byte[] getEncoded() {
                return null;
            }
        };
        assertThatThrownBy(() -> Pem.encodePrivateKey(hardware))
                .isInstanceOf(PkiException.class)
                .hasMessage("private key cannot be exported as PKCS#8 (its encoding format is null)");
    }

    private static PrivateKey bouncyCastleCopy(PrivateKey key) throws Exception {
        return KeyFactory.getInstance("EC", new BouncyCastleProvider()).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    }

    /** OpenSSL's "traditional" format: PKCS#1 for RSA, SEC1 for EC. */
    private static String traditionalPem(PrivateKey key) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(key);
        }
        return out.toString();
    }
}
