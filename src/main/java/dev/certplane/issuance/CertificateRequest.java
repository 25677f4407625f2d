package dev.certplane.issuance;

import java.security.PublicKey;
import java.util.List;

/**
 * A request for one certificate: the subject's public key (from a verified CSR or a key we generated),
 * the names to certify, and the profile. {@code requestedBy} is kept with the issued certificate.
 */
public record CertificateRequest(PublicKey publicKey, String commonName, List<String> dnsNames,
        List<String> ipAddresses, IssuanceProfile profile, String requestedBy) {

    public CertificateRequest {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("a certificate request needs at least one DNS name or IP address");
        }
    }
}
