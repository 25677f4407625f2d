package dev.certplane.issuance.spi;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;

import dev.certplane.issuance.CertificateRequest;
import dev.certplane.issuance.IssuedCertificate;

/**
 * Where certificates come from. The built-in CA implements it, later each external ACME CA; the
 * issuance module routes by {@link #kind()} and never names an implementation.
 */
public interface CertificateIssuer {

    /** The issuer kind profiles refer to, such as {@code internal}. */
    String kind();

    IssuedCertificate issue(CertificateRequest request);

    /**
     * Records that a certificate this issuer issued is revoked, in the caller's transaction.
     *
     * @param reasonCode the RFC 5280 5.3.1 CRLReason code
     * @return false if the issuer has no issued certificate with that serial
     */
    boolean revoke(BigInteger serial, int reasonCode);

    /** The CA certificates clients should trust for this issuer (root first). */
    List<X509Certificate> trustedCertificates();
}
