package dev.certplane.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties over hostile input: whatever arrives, parsers answer with a value or a
 * {@link PkiException}, never another exception type, and the hostname rule accepts exactly LDH names.
 */
class PkiPropertyTest {

    private static final int EXAMPLES = 300;
    private static final String LDH = "abcdefghijklmnopqrstuvwxyz0123456789-";

    private static final String LEAF_PEM = Pem.encodeCertificate(Fixtures.LEAF);
    private static final byte[] LEAF_DER = der();
    private static final byte[] CSR_DER = csr(Fixtures.LEAF_KEYS);

    @Test
    void pemDecodingOfArbitraryTextThrowsOnlyPkiException() {
        qt().withExamples(EXAMPLES).forAll(strings().allPossible().ofLengthBetween(0, 300)).checkAssert(onlyPkiExceptionFromPem());
    }

    @Test
    void pemDecodingOfPemLikeTextThrowsOnlyPkiException() {
        // Random text rarely contains a BEGIN line; stitching real PEM fragments together reaches the block parser.
        List<String> fragments = List.of("-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----", "-----BEGIN ", "-----END ",
                "-----", "\n", "\r\n", " ", "MIIB", "AAAA", "====", "=", "$", ":", "Proc-Type: 4,ENCRYPTED\n",
                "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----",
                "-----END EC PRIVATE KEY-----", "-----BEGIN CERTIFICATE REQUEST-----", "-----END CERTIFICATE REQUEST-----",
                "-----BEGIN ENCRYPTED PRIVATE KEY-----", "MAMCAQE=", LEAF_PEM, LEAF_PEM.substring(0, 300),
                LEAF_PEM.substring(28, 120), LEAF_PEM.substring(300));
        Gen<String> stitched = lists().of(Generate.pick(fragments)).ofSizeBetween(0, 12).map(parts -> String.join("", parts));
        qt().withExamples(EXAMPLES).forAll(stitched).checkAssert(onlyPkiExceptionFromPem());
    }

    @Test
    void pemDecodingOfCorruptedPemThrowsOnlyPkiException() {
        Gen<String> corrupted = integers().between(0, LEAF_PEM.length() - 1)
                .zip(strings().allPossible().ofLengthBetween(0, 3), integers().between(0, 3),
                        (position, insert, delete) -> LEAF_PEM.substring(0, position) + insert
                                + LEAF_PEM.substring(Math.min(LEAF_PEM.length(), position + delete)));
        qt().withExamples(EXAMPLES).forAll(corrupted).checkAssert(onlyPkiExceptionFromPem());
    }

    @Test
    void parsingArbitraryBytesThrowsOnlyPkiException() {
        Gen<byte[]> bytes = Generate.byteArrays(integers().between(0, 600), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
        qt().withExamples(EXAMPLES).forAll(bytes).checkAssert(onlyPkiExceptionFromDer());
    }

    @Test
    void parsingArbitraryBytesAfterASequenceTagThrowsOnlyPkiException() {
        // A leading 0x30 gets past the first-byte check and into the ASN.1 parsers.
        Gen<byte[]> bytes = Generate.byteArrays(integers().between(0, 600), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
                .map(tail -> {
                    byte[] withTag = new byte[tail.length + 2];
                    withTag[0] = 0x30;
                    withTag[1] = (byte) 0x82;
                    System.arraycopy(tail, 0, withTag, 2, tail.length);
                    return withTag;
                });
        qt().withExamples(EXAMPLES).forAll(bytes).checkAssert(onlyPkiExceptionFromDer());
    }

    @Test
    void parsingMutatedCertificatesAndCsrsThrowsOnlyPkiException() {
        for (byte[] original : List.of(LEAF_DER, CSR_DER)) {
            Gen<byte[]> mutated = lists().of(integers().between(0, original.length - 1).zip(integers().between(0, 255), (at, value) -> new int[] {at, value}))
                    .ofSizeBetween(1, 4)
                    .zip(integers().between(1, original.length), (edits, length) -> {
                        byte[] copy = original.clone();
                        for (int[] edit : edits) {
                            copy[edit[0]] = (byte) edit[1];
                        }
                        // Truncate in a third of the cases to exercise length handling too.
                        return length % 3 == 0 ? Arrays.copyOf(copy, length) : copy;
                    });
            qt().withExamples(EXAMPLES).forAll(mutated).checkAssert(onlyPkiExceptionFromDer());
        }
    }

    @Test
    void validLdhHostnamesPassTheHostnameRule() {
        qt().withExamples(EXAMPLES).forAll(hostnames()).checkAssert(name -> {
            assertThat(CertificateLinter.hostnameProblem(name)).as(name).isNull();
            CertificateSpec spec = Fixtures.leafSpec().dnsNames(List.of(name)).build();
            assertThat(CertificateLinter.lint(spec, Fixtures.INTERMEDIATE)).as(name).isEmpty();
        });
    }

    @Test
    void hostnamesWithCharactersOutsideLdhFailTheHostnameRule() {
        Gen<String> foreign = strings().allPossible().ofLengthBetween(1, 1)
                .assuming(c -> c.chars().anyMatch(ch -> LDH.indexOf(ch) < 0 && ch != '.' && ch != '*'));
        Gen<String> invalid = hostnames().zip(foreign, integers().between(0, 1000),
                (name, bad, at) -> {
                    int position = at % (name.length() + 1);
                    return name.substring(0, position) + bad + name.substring(position);
                });
        qt().withExamples(EXAMPLES).forAll(invalid).checkAssert(name -> {
            assertThat(CertificateLinter.hostnameProblem(name)).as(name).isNotNull();
            CertificateSpec spec = Fixtures.leafSpec().dnsNames(List.of(name)).build();
            assertThat(CertificateLinter.lint(spec, Fixtures.INTERMEDIATE))
                    .anySatisfy(finding -> assertThat(finding).startsWith("dNSName \"" + name + "\" is not a valid hostname"));
        });
    }

    /** Lowercase LDH names of 1 to 5 labels, each 1 to 40 characters, letter first, never ending in '-', maybe a wildcard. */
    private static Gen<String> hostnames() {
        Gen<String> label = lists().of(integers().between(0, LDH.length() - 1)).ofSizeBetween(1, 40).map(indexes -> {
            StringBuilder text = new StringBuilder();
            for (int index : indexes) {
                text.append(LDH.charAt(index));
            }
            if (!Character.isLetter(text.charAt(0))) {
                text.setCharAt(0, 'x');
            }
            if (text.charAt(text.length() - 1) == '-') {
                text.setCharAt(text.length() - 1, 'z');
            }
            return text.toString();
        });
        return lists().of(label).ofSizeBetween(1, 5).zip(booleans().all(),
                (labels, wildcard) -> (wildcard ? "*." : "") + String.join(".", labels));
    }

    private static Consumer<String> onlyPkiExceptionFromPem() {
        return text -> {
            expectValueOrPkiException(() -> Pem.decodeCertificates(text));
            expectValueOrPkiException(() -> Pem.decodePrivateKey(text));
            expectValueOrPkiException(() -> Csr.parsePem(text));
        };
    }

    private static Consumer<byte[]> onlyPkiExceptionFromDer() {
        return bytes -> {
            expectValueOrPkiException(() -> Certificates.parse(bytes));
            expectValueOrPkiException(() -> Csr.parse(bytes));
        };
    }

    /** Any other exception escapes and fails the property with the falsifying input. */
    private static void expectValueOrPkiException(Runnable parse) {
        try {
            parse.run();
        } catch (PkiException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    private static byte[] der() {
        try {
            return Fixtures.LEAF.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] csr(KeyPair keys) {
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "www.example.com"), new GeneralName(GeneralName.iPAddress, "192.0.2.1")}));
            return new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=www.example.com"), keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
