package dev.certplane.pki;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One root → intermediate → leaf chain, built once per test JVM because key generation dominates
 * the test run. Times are fixed: nothing here depends on the real clock.
 */
final class Fixtures {

    static final Instant ROOT_NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant ROOT_NOT_AFTER = Instant.parse("2045-01-01T00:00:00Z");
    static final Instant INTERMEDIATE_NOT_BEFORE = Instant.parse("2025-01-02T00:00:00Z");
    static final Instant INTERMEDIATE_NOT_AFTER = Instant.parse("2035-01-01T00:00:00Z");
    static final Instant LEAF_NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant LEAF_NOT_AFTER = Instant.parse("2026-04-01T00:00:00Z");
    /** A moment at which the whole chain is valid. */
    static final Instant INSIDE_VALIDITY = Instant.parse("2026-02-01T12:00:00Z");

    static final String OCSP_URL = "http://ocsp.certplane.test/";
    static final String CA_ISSUERS_URL = "http://certs.certplane.test/intermediate.der";
    static final String CRL_URL = "http://crl.certplane.test/intermediate.crl";

    static final KeyPair ROOT_KEYS = KeyType.EC_P384.generate();
    static final KeyPair INTERMEDIATE_KEYS = KeyType.EC_P256.generate();
    static final KeyPair LEAF_KEYS = KeyType.EC_P256.generate();

    static final X509Certificate ROOT = CertificateSigner.sign(rootSpec().build(), null, ROOT_KEYS.getPrivate());
    static final X509Certificate INTERMEDIATE = CertificateSigner.sign(intermediateSpec().build(), ROOT, ROOT_KEYS.getPrivate());
    static final X509Certificate LEAF = CertificateSigner.sign(leafSpec().build(), INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate());

    private Fixtures() {
    }

    static SpecBuilder rootSpec() {
        return new SpecBuilder()
                .subject("CN=Certplane Test Root CA,O=Certplane")
                .publicKey(ROOT_KEYS.getPublic())
                .validity(ROOT_NOT_BEFORE, ROOT_NOT_AFTER)
                .ca(1)
                .keyUsage(Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN));
    }

    static SpecBuilder intermediateSpec() {
        return new SpecBuilder()
                .subject("CN=Certplane Test Intermediate CA,O=Certplane")
                .publicKey(INTERMEDIATE_KEYS.getPublic())
                .validity(INTERMEDIATE_NOT_BEFORE, INTERMEDIATE_NOT_AFTER)
                .ca(0)
                .keyUsage(Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN, KeyUsageBit.DIGITAL_SIGNATURE))
                .crlUrl("http://crl.certplane.test/root.crl");
    }

    static SpecBuilder leafSpec() {
        return new SpecBuilder()
                .subject("CN=www.example.com")
                .publicKey(LEAF_KEYS.getPublic())
                .validity(LEAF_NOT_BEFORE, LEAF_NOT_AFTER)
                .keyUsage(Set.of(KeyUsageBit.DIGITAL_SIGNATURE))
                .extendedKeyUsage(List.of(ExtendedKeyUsage.SERVER_AUTH))
                .dnsNames(List.of("www.example.com"))
                .ipAddresses(List.of("192.0.2.1"))
                .ocspUrl(OCSP_URL)
                .caIssuersUrl(CA_ISSUERS_URL)
                .crlUrl(CRL_URL);
    }

    /** RSA keys are slow to generate, so only tests that need one pay for it. */
    static final class Rsa {
        static final KeyPair KEYS = KeyType.RSA_2048.generate();

        private Rsa() {
        }
    }
}
