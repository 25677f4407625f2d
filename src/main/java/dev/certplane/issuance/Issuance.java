package dev.certplane.issuance;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.certplane.issuance.spi.CertificateIssuer;

import org.springframework.stereotype.Service;

/** The single door for getting a certificate: routes each request to the issuer its profile names. */
@Service
public class Issuance {

    private final Map<String, CertificateIssuer> issuers;

    Issuance(List<CertificateIssuer> issuers) {
        this.issuers = issuers.stream().collect(Collectors.toUnmodifiableMap(CertificateIssuer::kind, Function.identity()));
    }

    public IssuedCertificate issue(CertificateRequest request) {
        return issuer(request.profile().issuer()).issue(request);
    }

    /**
     * Records a revocation with the issuer that issued the certificate.
     *
     * @throws IssuanceException if that issuer does not know the serial
     */
    public void revoke(String issuerKind, BigInteger serial, int reasonCode) {
        if (!issuer(issuerKind).revoke(serial, reasonCode)) {
            throw new IssuanceException("issuer '" + issuerKind + "' has no issued certificate with serial "
                    + serial.toString(16));
        }
    }

    public List<X509Certificate> trustedCertificates(String issuerKind) {
        return issuer(issuerKind).trustedCertificates();
    }

    private CertificateIssuer issuer(String kind) {
        CertificateIssuer issuer = issuers.get(kind);
        if (issuer == null) {
            throw new IssuanceException("no issuer of kind '" + kind + "' is configured (known: " + issuers.keySet() + ")");
        }
        return issuer;
    }
}
