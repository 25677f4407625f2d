package dev.certplane.acme.protocol;

import java.util.List;
import java.util.Optional;

/** The challenge types this server offers: RFC 8555 8.3 and 8.4, RFC 8737 (TLS-ALPN-01). */
public enum ChallengeType {
    HTTP_01("http-01"),
    DNS_01("dns-01"),
    TLS_ALPN_01("tls-alpn-01");

    private final String wire;

    ChallengeType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<ChallengeType> fromWire(String text) {
        for (ChallengeType type : values()) {
            if (type.wire.equals(text)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /**
     * The challenges an identifier can be proven with: a wildcard only through DNS (RFC 8555 7.1.3), an IP
     * address only over HTTP or TLS-ALPN, since there is no DNS name to publish a TXT record under (RFC 8738 7).
     */
    public static List<ChallengeType> offeredFor(Identifier identifier) {
        if (identifier.type().equals(Identifier.IP)) {
            return List.of(HTTP_01, TLS_ALPN_01);
        }
        return identifier.isWildcard() ? List.of(DNS_01) : List.of(HTTP_01, DNS_01, TLS_ALPN_01);
    }
}
