package dev.certplane.acme.server.internal.validation;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses validation may connect to. A client chooses the names we look up, so without this rule it
 * could make us reach into our own networks (SSRF): loopback, private, link-local, multicast and the other
 * special-purpose ranges of the IANA registries (RFC 6890) are refused unless an operator allows them.
 */
public final class AddressPolicy {

    private record Blocked(Cidr range, String kind) {
    }

    private static final List<Blocked> BLOCKED = List.of(
            blocked("0.0.0.0/8", "\"this network\""),
            blocked("10.0.0.0/8", "private"),
            blocked("100.64.0.0/10", "shared address space"),
            blocked("127.0.0.0/8", "loopback"),
            blocked("169.254.0.0/16", "link-local"),
            blocked("172.16.0.0/12", "private"),
            blocked("192.0.0.0/24", "IETF protocol assignments"),
            blocked("192.0.2.0/24", "documentation"),
            blocked("192.88.99.0/24", "6to4 relay anycast"),
            blocked("192.168.0.0/16", "private"),
            blocked("198.18.0.0/15", "benchmarking"),
            blocked("198.51.100.0/24", "documentation"),
            blocked("203.0.113.0/24", "documentation"),
            blocked("224.0.0.0/4", "multicast"),
            blocked("240.0.0.0/4", "reserved"),
            blocked("::/128", "unspecified"),
            blocked("::1/128", "loopback"),
            blocked("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
            blocked("100::/64", "discard-only"),
            blocked("2001::/23", "IETF protocol assignments"),
            blocked("2001:db8::/32", "documentation"),
            blocked("2002::/16", "6to4"),
            blocked("3fff::/20", "documentation"),
            blocked("fc00::/7", "unique local (private)"),
            blocked("fe80::/10", "link-local"),
            blocked("ff00::/8", "multicast"));

    private final List<Cidr> allowed;

    public AddressPolicy(List<String> allowedNetworks) {
        this.allowed = allowedNetworks.stream().map(n -> Cidr.parse(n.trim())).toList();
    }

    /** Why validation must not connect to {@code address}, or empty if it may. */
    public Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (allowed.stream().anyMatch(c -> c.contains(bytes))) {
            return Optional.empty();
        }
        return BLOCKED.stream().filter(b -> b.range().contains(bytes)).findFirst()
                .map(b -> Cidr.text(address) + " is in a blocked network (" + b.kind() + ", " + b.range().text()
                        + "); certplane.acme.validation.allowed-networks lists networks that may be reached anyway");
    }

    private static Blocked blocked(String range, String kind) {
        return new Blocked(Cidr.parse(range), kind);
    }
}
