package dev.certplane.issuance;

import java.time.Instant;

/**
 * Published by an issuer in the transaction that records a revocation.
 *
 * @param issuerDn the RFC 2253 name of the certificate's issuer
 * @param serialHex lower-case hex without leading zeros
 */
public record CertificateRevoked(String issuerDn, String serialHex, int reasonCode, Instant revokedAt) {
}
