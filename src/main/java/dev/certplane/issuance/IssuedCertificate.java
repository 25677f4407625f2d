package dev.certplane.issuance;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A freshly issued certificate.
 *
 * @param chain the leaf first, then the intermediates a server should send; the root is not included
 * @param root the trust anchor the chain leads to
 */
public record IssuedCertificate(List<X509Certificate> chain, X509Certificate root, String issuer) {

    public IssuedCertificate {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }
}
