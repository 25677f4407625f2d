package dev.certplane.acme.server.internal.validation;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.certplane.acme.protocol.ChallengeType;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certplane.acme.validation.*}: how challenges are checked.
 *
 * @param http01Port the port HTTP-01 connects to (RFC 8555 8.3 says 80; tests use another)
 * @param tlsAlpn01Port the port TLS-ALPN-01 connects to (RFC 8737 3 says 443)
 * @param dnsResolvers {@code host:port} of the resolvers that answer every lookup; empty: the system's
 * @param allowedNetworks CIDRs that may be connected to although they are loopback, private or reserved
 * @param deadline the most one validation may take, lookups and connections included
 * @param maxResponseBytes the largest HTTP-01 response body read
 * @param perspectives more resolvers that must confirm a validation (multi-perspective validation)
 */
@ConfigurationProperties("certplane.acme.validation")
public record ValidationSettings(@DefaultValue("80") int http01Port, @DefaultValue("443") int tlsAlpn01Port,
        @Nullable List<String> dnsResolvers, @Nullable List<String> allowedNetworks,
        @DefaultValue("60s") Duration deadline, @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration readTimeout, @DefaultValue("5s") Duration dnsTimeout,
        @DefaultValue("8192") int maxResponseBytes, @DefaultValue Concurrency concurrency,
        @DefaultValue Perspectives perspectives, @DefaultValue("10s") Duration recoveryInterval) {

    public ValidationSettings {
        dnsResolvers = dnsResolvers == null ? List.of() : List.copyOf(dnsResolvers);
        allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
        checkPort("http01-port", http01Port);
        checkPort("tls-alpn01-port", tlsAlpn01Port);
        // Fail at start-up, naming the property, rather than at the first validation.
        resolverAddresses("dns-resolvers", dnsResolvers);
        for (String network : allowedNetworks) {
            try {
                Cidr.parse(network.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("certplane.acme.validation.allowed-networks entry " + e.getMessage(), e);
            }
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("certplane.acme.validation.deadline must be positive");
        }
        if (maxResponseBytes < 256) {
            throw new IllegalArgumentException("certplane.acme.validation.max-response-bytes must be at least 256");
        }
        perspectives.check();
    }

    /**
     * How many validations of each type run at once on one replica.
     */
    public record Concurrency(@DefaultValue("16") int http01, @DefaultValue("16") int dns01,
            @DefaultValue("16") int tlsAlpn01) {

        public Concurrency {
            if (http01 < 1 || dns01 < 1 || tlsAlpn01 < 1) {
                throw new IllegalArgumentException("certplane.acme.validation.concurrency.* must be at least 1");
            }
        }

        public int of(ChallengeType type) {
            return switch (type) {
                case HTTP_01 -> http01;
                case DNS_01 -> dns01;
                case TLS_ALPN_01 -> tlsAlpn01;
            };
        }
    }

    /**
     * Multi-perspective validation: each resolver is one more perspective that looks the names up for itself
     * and repeats the check; at least {@code quorum} of them must agree with the primary one.
     *
     * @param quorum 0 means all of them
     */
    public record Perspectives(@Nullable List<String> resolvers, @DefaultValue("0") int quorum) {

        public Perspectives {
            resolvers = resolvers == null ? List.of() : List.copyOf(resolvers);
        }

        public int required() {
            return quorum == 0 ? resolvers.size() : quorum;
        }

        void check() {
            resolverAddresses("perspectives.resolvers", resolvers);
            if (quorum < 0 || quorum > resolvers.size()) {
                throw new IllegalArgumentException("certplane.acme.validation.perspectives.quorum is " + quorum
                        + " but there are " + resolvers.size() + " perspective resolvers");
            }
        }
    }

    /** {@code host:port} entries (port 53 when left out) as socket addresses; hosts must be IP literals. */
    static List<InetSocketAddress> resolverAddresses(String property, List<String> entries) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String entry : entries) {
            String text = entry.trim();
            String host = text;
            int port = 53;
            int colon = text.lastIndexOf(':');
            boolean bracketed = text.startsWith("[");
            if (bracketed || (colon > 0 && text.indexOf(':') == colon)) {
                int close = text.indexOf(']');
                host = bracketed ? text.substring(1, Math.max(1, close)) : text.substring(0, colon);
                // After "]" comes nothing or ":port"; anything else ("[::1]x53") is no port at all.
                String portText = !bracketed ? text.substring(colon + 1)
                        : close < 0 || close + 1 == text.length() ? "53"
                        : text.charAt(close + 1) == ':' ? text.substring(close + 2) : "";
                try {
                    port = Integer.parseInt(portText);
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535 || !org.bouncycastle.util.IPAddress.isValidIPv4(host)
                    && !org.bouncycastle.util.IPAddress.isValidIPv6(host)) {
                throw new IllegalArgumentException("certplane.acme.validation." + property + " entry '" + entry
                        + "' must be an IP address with an optional port, such as 127.0.0.1:53 or [::1]:53");
            }
            addresses.add(new InetSocketAddress(Cidr.literal(host), port));
        }
        return addresses;
    }

    private static void checkPort(String property, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("certplane.acme.validation." + property + " must be a port number");
        }
    }
}
