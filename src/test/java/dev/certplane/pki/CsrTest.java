package dev.certplane.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CsrTest {

    private static final KeyPair KEYS = Fixtures.LEAF_KEYS;

    @Test
    void parsesSubjectKeyAndRequestedNames() {
        byte[] der = csr(KEYS, KEYS, "CN=www.example.com, O=Example Inc.",
                new GeneralName(GeneralName.dNSName, "www.example.com"),
                new GeneralName(GeneralName.rfc822Name, "admin@example.com"),
                new GeneralName(GeneralName.iPAddress, "192.0.2.7"),
                new GeneralName(GeneralName.dNSName, "example.com"),
                new GeneralName(GeneralName.iPAddress, "2001:db8::1"));
        Csr csr = Csr.parse(der);
        assertThat(csr.subject()).isEqualTo("CN=www.example.com,O=Example Inc.");
        assertThat(csr.dnsNames()).containsExactly("www.example.com", "example.com");
        assertThat(csr.ipAddresses()).containsExactly("192.0.2.7", "2001:db8:0:0:0:0:0:1");
        assertThat(csr.publicKey()).isInstanceOf(ECPublicKey.class).isEqualTo(KEYS.getPublic());
        assertThat(KeyType.of(csr.publicKey())).isEqualTo(KeyType.EC_P256);
        assertThat(csr.der()).isEqualTo(der);
    }

    @Test
    void parsesRsaRequests() {
        KeyPair rsa = Fixtures.Rsa.KEYS;
        Csr csr = Csr.parse(csr(rsa, rsa, "CN=rsa.example.com", new GeneralName(GeneralName.dNSName, "rsa.example.com")));
        assertThat(csr.publicKey()).isInstanceOf(RSAPublicKey.class).isEqualTo(rsa.getPublic());
        assertThat(csr.dnsNames()).containsExactly("rsa.example.com");
    }

    @Test
    void requestWithoutSubjectOrExtensions() {
        Csr csr = Csr.parse(csr(KEYS, KEYS, ""));
        assertThat(csr.subject()).isEmpty();
        assertThat(csr.dnsNames()).isEmpty();
        assertThat(csr.ipAddresses()).isEmpty();
    }

    @Test
    void parsedKeyAndNamesFeedASpecThatSigns() {
        Csr csr = Csr.parse(csr(KEYS, KEYS, "", new GeneralName(GeneralName.dNSName, "api.example.com")));
        CertificateSpec spec = Fixtures.leafSpec().subject(csr.subject()).publicKey(csr.publicKey())
                .dnsNames(csr.dnsNames()).ipAddresses(csr.ipAddresses()).build();
        assertThat(CertificateLinter.lint(spec, Fixtures.INTERMEDIATE)).isEmpty();
        var cert = CertificateSigner.sign(spec, Fixtures.INTERMEDIATE, Fixtures.INTERMEDIATE_KEYS.getPrivate());
        assertThat(Certificates.dnsNames(cert)).containsExactly("api.example.com");
        assertThat(Certificates.keyMatches(cert, KEYS.getPrivate())).isTrue();
    }

    @Test
    void parsesPemWithEitherLabel() throws Exception {
        byte[] der = csr(KEYS, KEYS, "CN=pem.example.com", new GeneralName(GeneralName.dNSName, "pem.example.com"));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new PKCS10CertificationRequest(der));
        }
        assertThat(out.toString()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        assertThat(Csr.parsePem(out.toString()).dnsNames()).containsExactly("pem.example.com");

        String legacy = "-----BEGIN NEW CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END NEW CERTIFICATE REQUEST-----\n";
        assertThat(Csr.parsePem(legacy).subject()).isEqualTo("CN=pem.example.com");
    }

    @Test
    void pemWithTheWrongContentIsRefused() {
        assertThatThrownBy(() -> Csr.parsePem(Pem.encodeCertificate(Fixtures.LEAF)))
                .isInstanceOf(PkiException.class)
                .hasMessage("expected a CERTIFICATE REQUEST block but found CERTIFICATE");
        assertThatThrownBy(() -> Csr.parsePem("hello"))
                .isInstanceOf(PkiException.class)
                .hasMessage("expected exactly one CERTIFICATE REQUEST block but found 0 PEM blocks");
    }

    @Test
    void flippedSignatureBytesDoNotVerify() {
        byte[] der = csr(KEYS, KEYS, "CN=www.example.com", new GeneralName(GeneralName.dNSName, "www.example.com"));
        byte[] tampered = der.clone();
        tampered[tampered.length - 1] ^= 0x01;
        assertThatThrownBy(() -> Csr.parse(tampered))
                .isInstanceOf(PkiException.class)
                .hasMessage("CSR signature does not verify");
    }

    @Test
    void malformedSignatureValueDoesNotVerify() throws Exception {
        byte[] der = csr(KEYS, KEYS, "CN=www.example.com");
        int signatureStart = der.length - new PKCS10CertificationRequest(der).getSignature().length;
        byte[] tampered = der.clone();
        // The ECDSA-Sig-Value SEQUENCE tag: the signature no longer even decodes.
        assertThat(tampered[signatureStart]).isEqualTo((byte) 0x30);
        tampered[signatureStart] = 0x31;
        assertThatThrownBy(() -> Csr.parse(tampered))
                .isInstanceOf(PkiException.class)
                .hasMessage("CSR signature does not verify");
    }

    @Test
    void alteredRequestedNameDoesNotVerify() {
        byte[] der = csr(KEYS, KEYS, "CN=www.example.com", new GeneralName(GeneralName.dNSName, "good.example.com"));
        byte[] tampered = replace(der, "good", "evil");
        assertThatThrownBy(() -> Csr.parse(tampered))
                .isInstanceOf(PkiException.class)
                .hasMessage("CSR signature does not verify");
    }

    @Test
    void requestSignedByAnotherKeyDoesNotVerify() {
        byte[] der = csr(KEYS, Fixtures.INTERMEDIATE_KEYS, "CN=www.example.com");
        assertThatThrownBy(() -> Csr.parse(der))
                .isInstanceOf(PkiException.class)
                .hasMessage("CSR signature does not verify");
    }

    @Test
    void garbageIsNotARequest() {
        assertThatThrownBy(() -> Csr.parse("garbage".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("not a valid PKCS#10 certificate request: ");
        assertThatThrownBy(() -> Csr.parse(new byte[0]))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("not a valid PKCS#10 certificate request");
        byte[] der = csr(KEYS, KEYS, "CN=x");
        assertThatThrownBy(() -> Csr.parse(Arrays.copyOf(der, der.length - 5)))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("not a valid PKCS#10 certificate request");
        assertThatThrownBy(() -> Csr.parse(Arrays.copyOf(der, der.length + 2)))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("not a valid PKCS#10 certificate request");
    }

    @Test
    void malformedIpAddressInTheSanIsReported() {
        byte[] der = csr(KEYS, KEYS, "CN=x", new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[5])));
        assertThatThrownBy(() -> Csr.parse(der))
                .isInstanceOf(PkiException.class)
                .hasMessage("CSR subjectAltName: iPAddress SAN entry has 5 octets; expected 4 (IPv4) or 16 (IPv6)");
    }

    @Test
    void derIsCopiedAndEqualityIsByContent() {
        byte[] der = csr(KEYS, KEYS, "CN=copy.example.com");
        Csr csr = Csr.parse(der);
        der[0] = 0;
        byte[] exposed = csr.der();
        exposed[1] = 0;
        assertThat(csr.der()[0]).isEqualTo((byte) 0x30);
        assertThat(csr.der()[1]).isNotEqualTo((byte) 0);
        Csr again = Csr.parse(csr.der());
        assertThat(again).isEqualTo(csr).hasSameHashCodeAs(csr);
        assertThat(csr.toString()).contains("CN=copy.example.com").doesNotContain("[B@");
    }

    private static byte[] csr(KeyPair subjectKeys, KeyPair signingKeys, String subject, GeneralName... names) {
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject), subjectKeys.getPublic());
            if (names.length > 0) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            String algorithm = signingKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return builder.build(new JcaContentSignerBuilder(algorithm).build(signingKeys.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] replace(byte[] der, String from, String to) {
        byte[] needle = from.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + needle.length <= der.length; i++) {
            if (Arrays.equals(der, i, i + needle.length, needle, 0, needle.length)) {
                byte[] copy = der.clone();
                System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, copy, i, needle.length);
                return copy;
            }
        }
        throw new AssertionError("\"" + from + "\" not found in the DER");
    }
}
