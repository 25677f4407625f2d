package dev.certplane.issuance;

import java.security.PublicKey;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A request for one certificate: the subject's public key (from a verified CSR or a key we generated),
 * the names to certify, and the profile. {@code requestedBy} is kept with the issued certificate.
 *
 * @param notBefore the start of validity the requester asked for (RFC 8555 7.1.3), {@code null} for now
 * @param notAfter the end of validity the requester asked for, {@code null} for the profile's validity; an
 *     issuer never goes beyond the profile's validity or its own certificate
 */
public record CertificateRequest(PublicKey publicKey, @Nullable String commonName, List<String> dnsNames,
        List<String> ipAddresses, IssuanceProfile profile, String requestedBy, @Nullable Instant notBefore,
        @Nullable Instant notAfter) {

    public CertificateRequest {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("a certificate request needs at least one DNS name or IP address");
        }
        if (notBefore != null && notAfter != null && !notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
    }

    /** A request for the profile's usual validity, starting now. */
    public CertificateRequest(PublicKey publicKey, @Nullable String commonName, List<String> dnsNames,
            List<String> ipAddresses, IssuanceProfile profile, String requestedBy) {
        this(publicKey, commonName, dnsNames, ipAddresses, profile, requestedBy, null, null);
    }
}
