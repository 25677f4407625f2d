package dev.certplane.acme.server.internal.validation;

import java.util.List;

/**
 * Whether a profile checks CAA records (RFC 8659) before an authorization becomes valid.
 *
 * @param issuerDomains the issuer domain names (RFC 8659 4.2) that identify this CA in {@code issue} and
 *     {@code issuewild} records
 */
public record CaaPolicy(boolean enabled, List<String> issuerDomains) {

    public static final CaaPolicy DISABLED = new CaaPolicy(false, List.of());

    public CaaPolicy {
        issuerDomains = List.copyOf(issuerDomains);
    }
}
