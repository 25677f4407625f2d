package dev.certplane.pki;

import static dev.certplane.pki.Fixtures.INTERMEDIATE;
import static dev.certplane.pki.Fixtures.LEAF;
import static dev.certplane.pki.Fixtures.LEAF_KEYS;
import static dev.certplane.pki.Fixtures.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.certplane.pki.CertificateBundle.BundleEntry;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * Every format an operator may upload, built in memory, and every way such a file can be broken: each failure
 * is a {@link PkiException} naming the file and the reason, never another exception.
 */
class CertificateBundleTest {

    private static final char[] PASSWORD = "correct horse".toCharArray();
    private static final String LEAF_PEM = Pem.encodeCertificate(LEAF);
    private static final String KEY_PEM = Pem.encodePrivateKey(LEAF_KEYS.getPrivate());
    private static final byte[] BUNDLE = (LEAF_PEM + KEY_PEM + Pem.encodeCertificate(INTERMEDIATE)
            + Pem.encodeCertificate(ROOT)).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] P12 = keyStore("PKCS12");

    @Test
    void aPemBundleIsOneChainLeafFirstWithItsKey() {
        List<BundleEntry> entries = CertificateBundle.read("bundle.pem", BUNDLE, null);

        assertThat(entries).hasSize(1);
        BundleEntry entry = entries.get(0);
        assertThat(entry.entryName()).isEqualTo("PEM block 1");
        assertThat(entry.chain()).containsExactly(LEAF, INTERMEDIATE, ROOT);
        assertThat(entry.key()).isNotNull();
        assertThat(entry.key().getEncoded()).isEqualTo(LEAF_KEYS.getPrivate().getEncoded());
        assertThat(entry.toString()).doesNotContain(Base64.getEncoder().encodeToString(LEAF_KEYS.getPrivate().getEncoded()));
    }

    @Test
    void theOrderOfBlocksDoesNotMatterAndRepeatedCertificatesCountOnce() {
        String shuffled = "openssl output before the blocks\n" + Pem.encodeCertificate(ROOT) + KEY_PEM
                + Pem.encodeCertificate(INTERMEDIATE) + LEAF_PEM + Pem.encodeCertificate(ROOT);

        List<BundleEntry> entries = CertificateBundle.read("any.crt", ascii(shuffled), null);

        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.entryName()).isEqualTo("PEM block 4");
            assertThat(entry.chain()).containsExactly(LEAF, INTERMEDIATE, ROOT);
            assertThat(entry.key()).isNotNull();
        });
    }

    @Test
    void unrelatedCertificatesAreOneEntryEach() {
        KeyPair other = KeyType.EC_P256.generate();
        X509Certificate selfSigned = CertificateSigner.sign(new SpecBuilder().subject("CN=other.example")
                .publicKey(other.getPublic()).validity(Fixtures.LEAF_NOT_BEFORE, Fixtures.LEAF_NOT_AFTER)
                .dnsNames(List.of("other.example")).build(), null, other.getPrivate());

        List<BundleEntry> entries = CertificateBundle.read("two.pem",
                ascii(Pem.encodeCertificate(selfSigned) + Pem.encodeCertificate(INTERMEDIATE)), null);

        assertThat(entries).extracting(BundleEntry::entryName).containsExactly("PEM block 1", "PEM block 2");
        assertThat(entries.get(0).chain()).containsExactly(selfSigned);
        assertThat(entries.get(1).chain()).containsExactly(INTERMEDIATE);
    }

    @Test
    void aKeyForAnIssuerMakesThatIssuerAnEntryOfItsOwn() {
        String pem = LEAF_PEM + Pem.encodeCertificate(INTERMEDIATE)
                + Pem.encodePrivateKey(Fixtures.INTERMEDIATE_KEYS.getPrivate());

        List<BundleEntry> entries = CertificateBundle.read("ca.pem", ascii(pem), null);

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).chain()).containsExactly(LEAF, INTERMEDIATE);
        assertThat(entries.get(0).key()).isNull();
        assertThat(entries.get(1).chain()).containsExactly(INTERMEDIATE);
        assertThat(entries.get(1).key()).isNotNull();
    }

    @Test
    void sec1AndPkcs1KeysArePairedToo() throws Exception {
        // OpenSSL's "EC PRIVATE KEY" names the curve inside the key (RFC 5915 3).
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                ((java.security.interfaces.ECPrivateKey) LEAF_KEYS.getPrivate()).getS(), SECObjectIdentifiers.secp256r1)
                .getEncoded();
        String ecParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        assertThat(CertificateBundle.read("sec1.pem", ascii(LEAF_PEM + ecParameters + block("EC PRIVATE KEY", sec1)), null))
                .singleElement().satisfies(entry -> assertThat(entry.key()).isNotNull());

        KeyPair rsa = Fixtures.Rsa.KEYS;
        X509Certificate rsaLeaf = CertificateSigner.sign(Fixtures.leafSpec().publicKey(rsa.getPublic()).build(),
                INTERMEDIATE, Fixtures.INTERMEDIATE_KEYS.getPrivate());
        byte[] pkcs1 = PrivateKeyInfo.getInstance(rsa.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive()
                .getEncoded();
        List<BundleEntry> entries = CertificateBundle.read("rsa.pem",
                ascii(block("RSA PRIVATE KEY", pkcs1) + Pem.encodeCertificate(rsaLeaf) + LEAF_PEM), null);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).chain()).containsExactly(rsaLeaf);
        assertThat(entries.get(0).key().getAlgorithm()).isEqualTo("RSA");
        assertThat(entries.get(1).key()).isNull();
    }

    @Test
    void pemProblemsNameTheFileAndTheBlock() {
        assertThatThrownBy(() -> CertificateBundle.read("enc.pem",
                ascii(LEAF_PEM + "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAMCAQE=\n-----END ENCRYPTED PRIVATE KEY-----\n"), null))
                .isExactlyInstanceOf(PkiException.class)
                .hasMessage("'enc.pem': PEM block 2 (ENCRYPTED PRIVATE KEY, line 18): encrypted private keys in PEM are"
                        + " not supported; export it unencrypted or as PKCS#12");
        assertThatThrownBy(() -> CertificateBundle.read("legacy.pem", ascii(LEAF_PEM + "-----BEGIN EC PRIVATE KEY-----\n"
                + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n"), null))
                .hasMessage("'legacy.pem': encrypted private keys in PEM are not supported; export it unencrypted or as"
                        + " PKCS#12");
        assertThatThrownBy(() -> CertificateBundle.read("stranger.pem",
                ascii(LEAF_PEM + Pem.encodePrivateKey(Fixtures.ROOT_KEYS.getPrivate())), null))
                .hasMessage("'stranger.pem': the private key in PEM block 2 (PRIVATE KEY, line 18) belongs to none of the"
                        + " certificates in the file");
        assertThatThrownBy(() -> CertificateBundle.read("key.pem", ascii(KEY_PEM), null))
                .hasMessage("'key.pem' holds no certificate, only a private key");
        assertThatThrownBy(() -> CertificateBundle.read("csr.pem", ascii(LEAF_PEM
                + "-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQE=\n-----END CERTIFICATE REQUEST-----\n"), null))
                .hasMessage("'csr.pem': PEM block 2 (CERTIFICATE REQUEST, line 18) is not a certificate, private key or"
                        + " PKCS#7 block");
        assertThatThrownBy(() -> CertificateBundle.read("bad.pem",
                ascii(LEAF_PEM + "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n"), null))
                .hasMessageStartingWith("'bad.pem': PEM block 2 (CERTIFICATE, line 18) is not a valid certificate: ");
    }

    @Test
    void aDerCertificateIsOneEntry() throws Exception {
        assertThat(CertificateBundle.read("leaf.cer", LEAF.getEncoded(), null)).singleElement().satisfies(entry -> {
            assertThat(entry.entryName()).isEqualTo("certificate");
            assertThat(entry.chain()).containsExactly(LEAF);
            assertThat(entry.key()).isNull();
        });
        byte[] trailing = Arrays.copyOf(LEAF.getEncoded(), LEAF.getEncoded().length + 3);
        assertThatThrownBy(() -> CertificateBundle.read("leaf.cer", trailing, null))
                .hasMessage("'leaf.cer' has 3 bytes after its DER structure");
    }

    @Test
    void pkcs7CertificatesOnlyInDerAndPemAreGroupedIntoChains() throws Exception {
        byte[] p7b = pkcs7(ROOT, LEAF, INTERMEDIATE);

        List<BundleEntry> entries = CertificateBundle.read("chain.p7b", p7b, null);
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.chain()).containsExactly(LEAF, INTERMEDIATE, ROOT);
            assertThat(entry.entryName()).startsWith("certificate ");
        });

        List<BundleEntry> fromPem = CertificateBundle.read("chain.p7c", ascii(block("PKCS7", p7b)), null);
        assertThat(fromPem).singleElement().satisfies(entry -> {
            assertThat(entry.chain()).containsExactly(LEAF, INTERMEDIATE, ROOT);
            assertThat(entry.entryName()).startsWith("PEM block 1 certificate ");
        });
    }

    @Test
    void pkcs12KeyEntriesComeWithChainAndKeyAndCertificateEntriesAlone() {
        Map<String, BundleEntry> entries = CertificateBundle.read("server.p12", P12, PASSWORD).stream()
                .collect(Collectors.toMap(BundleEntry::entryName, Function.identity()));

        assertThat(entries).containsOnlyKeys("server", "root");
        assertThat(entries.get("server").chain()).containsExactly(LEAF, INTERMEDIATE, ROOT);
        assertThat(Certificates.keyMatches(LEAF, entries.get("server").key())).isTrue();
        assertThat(entries.get("root").chain()).containsExactly(ROOT);
        assertThat(entries.get("root").key()).isNull();
    }

    @Test
    void aWrongPasswordIsNamedAsSuch() {
        assertThatThrownBy(() -> CertificateBundle.read("x.p12", P12, "wrong".toCharArray()))
                .isExactlyInstanceOf(PkiException.class).hasMessage("wrong password for PKCS#12 file 'x.p12'");
        assertThatThrownBy(() -> CertificateBundle.read("x.p12", P12, null))
                .hasMessage("wrong password for PKCS#12 file 'x.p12' (no password was given)");
        assertThatThrownBy(() -> CertificateBundle.read("x.jks", keyStore("JKS"), "wrong".toCharArray()))
                .hasMessage("wrong password for JKS file 'x.jks'");
        assertThatThrownBy(() -> CertificateBundle.read("x.jceks", keyStore("JCEKS"), "wrong".toCharArray()))
                .hasMessage("wrong password for JCEKS file 'x.jceks'");
    }

    @Test
    void jksAndJceksAreReadLikePkcs12() {
        for (String type : List.of("JKS", "JCEKS")) {
            Map<String, BundleEntry> entries = CertificateBundle.read("store." + type, keyStore(type), PASSWORD).stream()
                    .collect(Collectors.toMap(BundleEntry::entryName, Function.identity()));
            assertThat(entries).as(type).containsOnlyKeys("server", "root");
            assertThat(entries.get("server").chain()).containsExactly(LEAF, INTERMEDIATE, ROOT);
            assertThat(entries.get("server").key()).isNotNull();
            assertThat(entries.get("root").key()).isNull();
        }
    }

    @Test
    void truncationIsReportedAsSuch() throws Exception {
        byte[] der = LEAF.getEncoded();
        assertThatThrownBy(() -> CertificateBundle.read("leaf.der", Arrays.copyOf(der, der.length / 2), null))
                .hasMessage("'leaf.der' is truncated: its DER structure declares " + der.length + " bytes but the file"
                        + " has " + der.length / 2);
        assertThatThrownBy(() -> CertificateBundle.read("leaf.der", Arrays.copyOf(der, 3), null))
                .hasMessage("'leaf.der' is truncated: it ends inside a DER header");
        assertThatThrownBy(() -> CertificateBundle.read("server.p12", Arrays.copyOf(P12, P12.length - 1), PASSWORD))
                .hasMessageStartingWith("'server.p12' is truncated");
        byte[] jks = keyStore("JKS");
        assertThatThrownBy(() -> CertificateBundle.read("server.jks", Arrays.copyOf(jks, jks.length / 2), PASSWORD))
                .hasMessage("'server.jks' is truncated: the JKS data ends early");
        assertThatThrownBy(() -> CertificateBundle.read("bundle.pem", Arrays.copyOf(BUNDLE, 500), null))
                .hasMessage("'bundle.pem': PEM block 1 (CERTIFICATE, line 1) has no matching \"-----END CERTIFICATE-----\""
                        + " line");
    }

    @Test
    void anyTruncationOfAValidFileFailsOnlyWithPkiException() throws Exception {
        for (byte[] valid : List.of(P12, LEAF.getEncoded(), BUNDLE, pkcs7(LEAF, INTERMEDIATE), keyStore("JKS"))) {
            qt().withExamples(150).forAll(integers().between(0, valid.length - 1))
                    .checkAssert(length -> readsOrFailsCleanly(Arrays.copyOf(valid, length)));
        }
    }

    @Test
    void garbageFailsOnlyWithPkiException() {
        qt().withExamples(300).forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 300)
                .describedAs(Object::toString)).checkAssert(values -> {
                    byte[] bytes = new byte[values.size()];
                    for (int i = 0; i < bytes.length; i++) {
                        bytes[i] = values.get(i).byteValue();
                    }
                    readsOrFailsCleanly(bytes);
                    // The same bytes behind each format's first bytes reach each parser.
                    for (byte[] prefix : List.of(new byte[] {0x30, (byte) 0x82, 0x01, 0x00, 0x02},
                            new byte[] {0x30, (byte) 0x82, 0x01, 0x00, 0x06}, new byte[] {(byte) 0xfe, (byte) 0xed,
                                    (byte) 0xfe, (byte) 0xed}, new byte[] {(byte) 0xce, (byte) 0xce, (byte) 0xce, (byte) 0xce})) {
                        byte[] prefixed = Arrays.copyOf(prefix, prefix.length + bytes.length);
                        System.arraycopy(bytes, 0, prefixed, prefix.length, bytes.length);
                        readsOrFailsCleanly(prefixed);
                    }
                });
        qt().withExamples(200).forAll(integers().between(0, P12.length - 1), integers().between(0, 255))
                .checkAssert((at, value) -> {
                    byte[] damaged = P12.clone();
                    damaged[at] = (byte) (damaged[at] ^ value);
                    readsOrFailsCleanly(damaged);
                });
        qt().withExamples(100).forAll(Generate.pick(List.of("-----BEGIN PKCS7-----\nMAMCAQE=\n-----END PKCS7-----\n",
                "-----BEGIN PKCS7-----\nMIIBAA==\n-----END PKCS7-----\n", "0", "0\u0082", "-----BEGIN ", "\u0000")))
                .checkAssert(text -> readsOrFailsCleanly(ascii(text)));
    }

    @Test
    void keyStoresDeclaringHugeLengthsFailWithoutAllocatingThem() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.io.DataOutputStream jks = new java.io.DataOutputStream(bytes);
        jks.writeInt(0xFEEDFEED);
        jks.writeInt(2);
        jks.writeInt(1);
        jks.writeInt(2); // a trusted certificate entry
        jks.writeUTF("huge");
        jks.writeLong(0);
        jks.writeUTF("X.509");
        jks.writeInt(Integer.MAX_VALUE);
        jks.write(new byte[64]);

        assertThatThrownBy(() -> CertificateBundle.read("huge.jks", bytes.toByteArray(), PASSWORD))
                .isExactlyInstanceOf(PkiException.class).hasMessageStartingWith("'huge.jks' is truncated");
    }

    @Test
    void otherFilesAreRefusedWithTheFormatsThatAreRead() {
        assertThatThrownBy(() -> CertificateBundle.read("notes.txt", ascii("just some notes\n"), null))
                .isExactlyInstanceOf(PkiException.class)
                .hasMessage("'notes.txt' is not PEM, DER, PKCS#7, PKCS#12 or JKS");
        assertThatThrownBy(() -> CertificateBundle.read("zero.txt", ascii("0 certificates here\n"), null))
                .hasMessage("'zero.txt' is not PEM, DER, PKCS#7, PKCS#12 or JKS");
        assertThatThrownBy(() -> CertificateBundle.read("empty.pem", new byte[0], null)).hasMessage("'empty.pem' is empty");
        assertThatThrownBy(() -> CertificateBundle.read("data.p7", ascii(block("PKCS7", new byte[] {0x30, 0x0d, 0x06,
                0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x07, 0x01, (byte) 0xa0, 0x00})), null))
                .hasMessageStartingWith("'data.p7': ");
    }

    @Test
    void moreThanAThousandCertificatesAreRefused() {
        String many = LEAF_PEM.repeat(CertificateBundle.MAX_CERTIFICATES + 1);
        assertThatThrownBy(() -> CertificateBundle.read("many.pem", ascii(many), null))
                .hasMessage("'many.pem' holds more than 1000 certificates; split it");
        assertThat(CertificateBundle.read("thousand.pem", ascii(LEAF_PEM.repeat(CertificateBundle.MAX_CERTIFICATES)), null))
                .hasSize(1);
    }

    private static void readsOrFailsCleanly(byte[] content) {
        try {
            List<BundleEntry> entries = CertificateBundle.read("f", content, PASSWORD);
            assertThat(entries).isNotEmpty();
        } catch (PkiException e) {
            assertThat(e.getMessage()).contains("'f'");
        }
    }

    private static byte[] keyStore(String type) {
        try {
            KeyStore store = KeyStore.getInstance(type);
            store.load(null, null);
            store.setKeyEntry("server", LEAF_KEYS.getPrivate(), PASSWORD, new Certificate[] {LEAF, INTERMEDIATE, ROOT});
            store.setCertificateEntry("root", ROOT);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, PASSWORD);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pkcs7(X509Certificate... certificates) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addCertificates(new JcaCertStore(List.of(certificates)));
        return generator.generate(new CMSAbsentContent()).getEncoded();
    }

    private static String block(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
