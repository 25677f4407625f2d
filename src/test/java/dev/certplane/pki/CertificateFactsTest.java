package dev.certplane.pki;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metadata the inventory shows, read from certificates built with every field the signer can set. */
class CertificateFactsTest {

    @Test
    void aLeafShowsItsNamesKeyUsagesAndWhereItsIssuerAndRevocationLive() {
        CertificateFacts leaf = CertificateFacts.of(Fixtures.LEAF);

        assertThat(leaf.subject()).isEqualTo("CN=www.example.com");
        assertThat(leaf.subjectCommonName()).isEqualTo("www.example.com");
        assertThat(leaf.issuerCommonName()).isEqualTo("Certplane Test Intermediate CA");
        assertThat(leaf.dnsNames()).containsExactly("www.example.com");
        assertThat(leaf.ipAddresses()).containsExactly("192.0.2.1");
        assertThat(leaf.sha256()).isEqualTo(Certificates.sha256Fingerprint(Fixtures.LEAF)).hasSize(64);
        assertThat(leaf.sha1()).hasSize(40);
        assertThat(leaf.serial()).isEqualTo(Fixtures.LEAF.getSerialNumber().toString(16));
        assertThat(leaf.notBefore()).isEqualTo(Fixtures.LEAF_NOT_BEFORE);
        assertThat(leaf.notAfter()).isEqualTo(Fixtures.LEAF_NOT_AFTER);
        assertThat(leaf.keyAlgorithm()).isEqualTo("EC");
        assertThat(leaf.keyBits()).isEqualTo(256);
        assertThat(leaf.keyCurve()).isEqualTo("P-256");
        assertThat(leaf.signatureAlgorithm()).containsIgnoringCase("ECDSA");
        assertThat(leaf.ca()).isFalse();
        assertThat(leaf.leaf()).isTrue();
        assertThat(leaf.pathLength()).isEqualTo(-1);
        assertThat(leaf.keyUsage()).containsExactly("digitalSignature");
        assertThat(leaf.extendedKeyUsage()).containsExactly("serverAuth");
        assertThat(leaf.ocspUrls()).containsExactly(Fixtures.OCSP_URL);
        assertThat(leaf.caIssuerUrls()).containsExactly(Fixtures.CA_ISSUERS_URL);
        assertThat(leaf.crlUrls()).containsExactly(Fixtures.CRL_URL);
        assertThat(leaf.sctCount()).isZero();
        assertThat(leaf.authorityKeyId()).isEqualTo(CertificateFacts.of(Fixtures.INTERMEDIATE).subjectKeyId());
        assertThat(leaf.selfIssued()).isFalse();
    }

    @Test
    void caCertificatesShowTheirConstraintsAndCurve() {
        CertificateFacts root = CertificateFacts.of(Fixtures.ROOT);
        assertThat(root.ca()).isTrue();
        assertThat(root.pathLength()).isEqualTo(1);
        assertThat(root.selfIssued()).isTrue();
        assertThat(root.keyCurve()).isEqualTo("P-384");
        assertThat(root.keyBits()).isEqualTo(384);
        assertThat(root.keyUsage()).containsExactlyInAnyOrder("keyCertSign", "cRLSign");

        CertificateFacts intermediate = CertificateFacts.of(Fixtures.INTERMEDIATE);
        assertThat(intermediate.pathLength()).isZero();
        assertThat(intermediate.issuer()).isEqualTo(root.subject());
        assertThat(intermediate.crlUrls()).containsExactly("http://crl.certplane.test/root.crl");
    }

    @Test
    void rsaKeysReportTheirModulusSize() {
        var spec = Fixtures.leafSpec().publicKey(Fixtures.Rsa.KEYS.getPublic()).build();
        CertificateFacts facts = CertificateFacts.of(CertificateSigner.sign(spec, Fixtures.INTERMEDIATE,
                Fixtures.INTERMEDIATE_KEYS.getPrivate()));
        assertThat(facts.keyAlgorithm()).isEqualTo("RSA");
        assertThat(facts.keyBits()).isEqualTo(2048);
        assertThat(facts.keyCurve()).isNull();
    }
}
