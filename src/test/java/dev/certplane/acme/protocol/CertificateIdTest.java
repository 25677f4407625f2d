package dev.certplane.acme.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.ExtendedKeyUsage;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Providers;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.generators.Generate;

/** ARI certificate identifiers (RFC 9773 4.1). */
class CertificateIdTest {

    /** RFC 9773 4.1: keyIdentifier 69:88:...:C8:D4 and serial 00:87:65:43:21. */
    private static final byte[] RFC_9773_KEY_IDENTIFIER =
            HexFormat.ofDelimiter(":").parseHex("69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4");
    private static final BigInteger RFC_9773_SERIAL = new BigInteger("0087654321", 16);
    private static final String RFC_9773_ID = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";

    /** RFC 9773 Appendix A: the example certificate the identifier above belongs to. */
    private static final String RFC_9773_CERTIFICATE = """
            -----BEGIN CERTIFICATE-----
            MIIBQzCB66ADAgECAgUAh2VDITAKBggqhkjOPQQDAjAVMRMwEQYDVQQDEwpFeGFt
            cGxlIENBMCIYDzAwMDEwMTAxMDAwMDAwWhgPMDAwMTAxMDEwMDAwMDBaMBYxFDAS
            BgNVBAMTC2V4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeBZu
            7cbpAYNXZLbbh8rNIzuOoqOOtmxA1v7cRm//AwyMwWxyHz4zfwmBhcSrf47NUAFf
            qzLQ2PPQxdTXREYEnKMjMCEwHwYDVR0jBBgwFoAUaYhba4dGQEHhs3uEe6CuLN4B
            yNQwCgYIKoZIzj0EAwIDRwAwRAIge09+S5TZAlw5tgtiVvuERV6cT4mfutXIlwTb
            +FYN/8oCIClDsqBklhB9KAelFiYt9+6FDj3z4KGVelYM5MdsO3pK
            -----END CERTIFICATE-----
            """;

    private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2026-04-01T00:00:00Z");

    @Test
    void theRfc9773ExampleIdentifier() {
        CertificateId id = new CertificateId(RFC_9773_KEY_IDENTIFIER, RFC_9773_SERIAL);

        assertThat(id.text()).isEqualTo(RFC_9773_ID);
        assertThat(id.toString()).isEqualTo(RFC_9773_ID);
        CertificateId parsed = CertificateId.parse(RFC_9773_ID);
        assertThat(parsed).isEqualTo(id).hasSameHashCodeAs(id);
        assertThat(parsed.keyIdentifier()).isEqualTo(RFC_9773_KEY_IDENTIFIER);
        assertThat(parsed.serial()).isEqualTo(RFC_9773_SERIAL);
    }

    @Test
    void theRfc9773ExampleCertificateHasTheExampleIdentifier() throws Exception {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(RFC_9773_CERTIFICATE.getBytes(StandardCharsets.US_ASCII)));

        assertThat(CertificateId.of(certificate).text()).isEqualTo(RFC_9773_ID);
    }

    @Test
    void theIdOfAnIssuedCertificateNamesItsIssuerKeyAndSerial() {
        KeyPair rootKeys = KeyType.EC_P256.generate();
        X509Certificate root = CertificateSigner.sign(new CertificateSpec("CN=Certplane Test Root", rootKeys.getPublic(),
                BigInteger.valueOf(1), NOT_BEFORE, NOT_AFTER, true, null, Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN),
                List.of(), List.of(), List.of(), null, null, null), null, rootKeys.getPrivate());
        // A serial whose top bit is set: its DER content carries a leading zero octet.
        BigInteger serial = new BigInteger("f0e1d2c3b4a5968778695a4b3c2d1e0f", 16);
        X509Certificate leaf = CertificateSigner.sign(new CertificateSpec("", KeyType.EC_P256.generate().getPublic(), serial,
                NOT_BEFORE, NOT_AFTER, false, null, Set.of(KeyUsageBit.DIGITAL_SIGNATURE), List.of(ExtendedKeyUsage.SERVER_AUTH),
                List.of("www.example.com"), List.of(), null, null, null), root, rootKeys.getPrivate());

        CertificateId id = CertificateId.of(leaf);

        assertThat(id.keyIdentifier()).isEqualTo(subjectKeyIdentifier(root));
        assertThat(id.serial()).isEqualTo(serial);
        assertThat(id.text()).endsWith("." + TestJws.b64(HexFormat.of().parseHex("00" + serial.toString(16))));
        assertThat(CertificateId.parse(id.text())).isEqualTo(id);
        assertThat(CertificateId.of(root).keyIdentifier()).isEqualTo(subjectKeyIdentifier(root));
    }

    @Test
    void aCertificateWithoutAuthorityKeyIdentifierHasNoId() throws Exception {
        KeyPair keys = KeyType.EC_P256.generate();
        X500Name name = new X500Name("CN=No AKI");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.TEN, Date.from(NOT_BEFORE), Date.from(NOT_AFTER), name,
                        keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.BC).build(keys.getPrivate())));

        assertThatThrownBy(() -> CertificateId.of(certificate)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no authority key identifier");
    }

    @ParameterizedTest
    @CsvSource({"1, AQ", "127, fw", "128, AIA", "255, AP8", "256, AQA", "0, AA"})
    void theSerialIsItsDerContentOctets(long serial, String text) {
        CertificateId id = new CertificateId(new byte[] {1, 2, 3}, BigInteger.valueOf(serial));

        assertThat(id.text()).isEqualTo("AQID." + text);
        assertThat(CertificateId.parse(id.text())).isEqualTo(id);
    }

    @Test
    void anyIdRoundTripsThroughItsText() {
        qt().withExamples(500)
                .forAll(Generate.byteArrays(integers().between(1, 64), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)),
                        Generate.byteArrays(integers().between(1, 20), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)))
                .checkAssert((keyIdentifier, serialBytes) -> {
                    serialBytes[0] &= 0x7f;
                    CertificateId id = new CertificateId(keyIdentifier, new BigInteger(serialBytes));

                    CertificateId parsed = CertificateId.parse(id.text());

                    assertThat(parsed).isEqualTo(id).hasSameHashCodeAs(id);
                    assertThat(parsed.text()).isEqualTo(id.text()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
                });
    }

    @Test
    void theKeyIdentifierIsCopied() {
        byte[] keyIdentifier = {1, 2, 3};
        CertificateId id = new CertificateId(keyIdentifier, BigInteger.ONE);

        keyIdentifier[0] = 9;

        assertThat(id.keyIdentifier()).startsWith(1);
        assertThat(id).isEqualTo(new CertificateId(new byte[] {1, 2, 3}, BigInteger.ONE))
                .isNotEqualTo(new CertificateId(new byte[] {1, 2, 4}, BigInteger.ONE))
                .isNotEqualTo(new CertificateId(new byte[] {1, 2, 3}, BigInteger.TWO));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "aYhba4dGQEHhs3uEe6CuLN4ByNQ", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.", ".AIdlQyE",
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ..AIdlQyE", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE.", "a.b.c"})
    void anIdWithoutExactlyOneDotBetweenTwoPartsIsMalformed(String text) {
        assertMalformed(text, "is not an ARI certificate id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aYhba4dGQEHhs3uEe6CuLN4ByNQ=.AIdlQyE", "aYhba4dGQEHhs3uEe6CuLN4ByN+.AIdlQyE",
        "aYhba4dGQEHhs3uEe6CuLN4ByN/.AIdlQyE", "aYhba4dGQEHhs3uEe6CuLN4ByNQAA.AIdlQyE", "aYhba4dG%51EHhs3uEe6CuLN4ByNQ.AIdlQyE"})
    void aKeyIdentifierThatIsNotBase64UrlIsMalformed(String text) {
        assertMalformed(text, "key identifier is not unpadded base64url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE=", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE+",
        "aYhba4dGQEHhs3uEe6CuLN4ByNQ.A", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdl QyE"})
    void aSerialThatIsNotBase64UrlIsMalformed(String text) {
        assertMalformed(text, "serial number is not unpadded base64url");
    }

    @Test
    void aNegativeOrOversizedSerialIsMalformed() {
        String keyIdentifier = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.";
        assertMalformed(keyIdentifier + "h2VDIQ", "positive"); // 87:65:43:21, negative without its leading zero
        assertMalformed(keyIdentifier + TestJws.b64(new byte[] {(byte) 0xff}), "positive");
        byte[] twentyOne = new byte[21];
        twentyOne[1] = 1;
        assertMalformed(keyIdentifier + TestJws.b64(twentyOne), "1 to 20 octets");

        byte[] twenty = new byte[20];
        twenty[0] = 0x7f;
        assertThat(CertificateId.parse(keyIdentifier + TestJws.b64(twenty)).serial().bitLength()).isEqualTo(159);
    }

    @Test
    void aLongMalformedIdIsAbbreviatedInTheDetail() {
        String text = "x".repeat(500);

        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, () -> CertificateId.parse(text));

        assertThat(problem.detail()).contains("x".repeat(80) + "…").doesNotContain("x".repeat(81));
    }

    private static byte[] subjectKeyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
    }

    private static void assertMalformed(String text, String detailFragment) {
        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, () -> CertificateId.parse(text));
        assertThat(problem).as(text).isNotNull();
        assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED);
        assertThat(problem.detail()).contains(detailFragment);
    }
}
