package dev.certplane.inventory;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.certplane.inventory.LoopbackTlsServer.Served;
import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.ExtendedKeyUsage;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Serials;

/** A root and two intermediates to issue the certificates the test servers present; EC P-256 keeps it fast. */
final class TestPki {

    record Authority(KeyPair keys, X509Certificate certificate) {
    }

    final Authority root;
    final Authority intermediate;
    /** An intermediate that no server sends and no source records, so its leaves have an incomplete chain. */
    final Authority hidden;

    TestPki(Instant now) {
        KeyPair rootKeys = KeyType.EC_P256.generate();
        X509Certificate rootCertificate = CertificateSigner.sign(ca("CN=Discovery Test Root,O=Certplane Tests",
                rootKeys, now), null, rootKeys.getPrivate());
        root = new Authority(rootKeys, rootCertificate);
        intermediate = issueCa("CN=Discovery Test Intermediate,O=Certplane Tests", now);
        hidden = issueCa("CN=Discovery Hidden Intermediate,O=Certplane Tests", now);
    }

    /** A server leaf for {@code dnsName} and 127.0.0.1, valid from {@code notBefore} to {@code notAfter}. */
    Served leaf(String dnsName, Authority issuer, Instant notBefore, Instant notAfter, boolean sendIssuer) {
        KeyPair keys = KeyType.EC_P256.generate();
        CertificateSpec spec = new CertificateSpec("CN=" + dnsName + ",O=Certplane Tests", keys.getPublic(),
                Serials.random(), notBefore, notAfter, false, null, Set.of(KeyUsageBit.DIGITAL_SIGNATURE),
                List.of(ExtendedKeyUsage.SERVER_AUTH), List.of(dnsName), List.of("127.0.0.1"), null, null, null);
        X509Certificate leaf = CertificateSigner.sign(spec, issuer.certificate(), issuer.keys().getPrivate());
        return new Served(keys.getPrivate(), sendIssuer ? List.of(leaf, issuer.certificate()) : List.of(leaf));
    }

    private Authority issueCa(String subject, Instant now) {
        KeyPair keys = KeyType.EC_P256.generate();
        return new Authority(keys, CertificateSigner.sign(ca(subject, keys, now), root.certificate(),
                root.keys().getPrivate()));
    }

    private static CertificateSpec ca(String subject, KeyPair keys, Instant now) {
        return new CertificateSpec(subject, keys.getPublic(), Serials.random(), now.minusSeconds(86400L * 30),
                now.plusSeconds(86400L * 3650), true, null, Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN),
                List.of(), List.of(), List.of(), null, null, null);
    }
}
