package dev.certplane.inventory.internal.discovery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.certplane.handshake.Hosts;
import dev.certplane.handshake.TlsEndpoint;

import org.jspecify.annotations.Nullable;

/**
 * A scan target as an operator describes it, validated: either {@code endpoints} ({@code host:port}, IPv6 in
 * brackets) or a {@code cidr} with {@code ports}; an optional SNI name for all of them; an interval in seconds,
 * or {@code null} to scan only when asked.
 *
 * @param endpoints normalized {@code host:port} entries, empty for a CIDR target
 * @param ports sorted, empty for an endpoint list
 */
public record ScanTargetDraft(String name, List<String> endpoints, @Nullable String cidr, List<Integer> ports,
        @Nullable String sni, @Nullable Long intervalSeconds, boolean enabled) {

    public static final int MAX_ENDPOINTS = 256;
    public static final int MAX_PORTS = 16;
    public static final long MIN_INTERVAL_SECONDS = 60;
    public static final long MAX_INTERVAL_SECONDS = 366L * 24 * 3600;

    public ScanTargetDraft {
        endpoints = List.copyOf(endpoints);
        ports = List.copyOf(ports);
    }

    /** Checks and normalizes what an operator sent; every problem is an {@link IllegalArgumentException}. */
    public static ScanTargetDraft of(@Nullable String name, @Nullable List<String> endpoints, @Nullable String cidr,
            @Nullable List<Integer> ports, @Nullable String sni, @Nullable Long intervalSeconds,
            @Nullable Boolean enabled) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (name.strip().length() > 200) {
            throw new IllegalArgumentException("name must have at most 200 characters");
        }
        boolean hasEndpoints = endpoints != null && !endpoints.isEmpty();
        boolean hasCidr = cidr != null && !cidr.isBlank();
        if (hasEndpoints && hasCidr) {
            throw new IllegalArgumentException("give either endpoints or a cidr, not both");
        }
        if (!hasEndpoints && !hasCidr) {
            throw new IllegalArgumentException(
                    "a target needs endpoints (such as [\"www.example.com:443\"]) or a cidr with ports");
        }
        List<String> normalized = List.of();
        List<Integer> portList = List.of();
        String range = null;
        if (hasEndpoints) {
            if (ports != null && !ports.isEmpty()) {
                throw new IllegalArgumentException("ports go with a cidr; give each endpoint as host:port");
            }
            normalized = endpoints(endpoints);
        } else {
            range = Cidr.parse(cidr.strip()).toString();
            portList = ports(ports);
        }
        return new ScanTargetDraft(name.strip(), normalized, range, portList, Hosts.sni(sni), interval(intervalSeconds),
                enabled == null || enabled);
    }

    /** Every endpoint the target covers, in a stable order. */
    public List<TlsEndpoint> expand() {
        List<TlsEndpoint> all = new ArrayList<>();
        if (cidr == null) {
            for (String entry : endpoints) {
                all.add(endpoint(entry, sni));
            }
        } else {
            for (String address : Cidr.parse(cidr).addresses()) {
                for (int port : ports) {
                    all.add(new TlsEndpoint(address, port, sni));
                }
            }
        }
        return all;
    }

    private static List<String> endpoints(List<String> entries) {
        if (entries.size() > MAX_ENDPOINTS) {
            throw new IllegalArgumentException("a target lists at most " + MAX_ENDPOINTS + " endpoints, not "
                    + entries.size() + "; scan ranges with a cidr");
        }
        Set<String> normalized = new LinkedHashSet<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                throw new IllegalArgumentException("an endpoint is empty; give host:port");
            }
            normalized.add(endpoint(entry.strip(), null).address());
        }
        return List.copyOf(normalized);
    }

    private static TlsEndpoint endpoint(String entry, @Nullable String sni) {
        String host;
        String port;
        if (entry.startsWith("[")) {
            int close = entry.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("endpoint '" + entry + "' is not [IPv6]:port");
            }
            host = entry.substring(1, close);
            port = entry.substring(close + 2);
            if (Hosts.ipOctets(host).filter(octets -> octets.length == 16).isEmpty()) {
                throw new IllegalArgumentException("endpoint '" + entry + "': '" + host + "' is not an IPv6 address");
            }
        } else {
            int colon = entry.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("endpoint '" + entry + "' has no port; give host:port");
            }
            host = entry.substring(0, colon);
            port = entry.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("endpoint '" + entry
                        + "': put an IPv6 address in brackets, such as [2001:db8::1]:443");
            }
        }
        return new TlsEndpoint(Hosts.host(host, "endpoint '" + entry + "'"), port(port, entry), sni);
    }

    private static int port(String text, String entry) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("endpoint '" + entry + "': port '" + text + "' is not a number from 1 to"
                    + " 65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint '" + entry + "': port " + port + " is outside 1 to 65535");
        }
        return port;
    }

    private static List<Integer> ports(@Nullable List<Integer> ports) {
        if (ports == null || ports.isEmpty()) {
            throw new IllegalArgumentException("a cidr needs ports, such as [443]");
        }
        if (ports.size() > MAX_PORTS) {
            throw new IllegalArgumentException("a cidr target scans at most " + MAX_PORTS + " ports, not " + ports.size());
        }
        Set<Integer> sorted = new TreeSet<>();
        for (Integer port : ports) {
            if (port == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 1 to 65535");
            }
            sorted.add(port);
        }
        return List.copyOf(sorted);
    }

    private static @Nullable Long interval(@Nullable Long seconds) {
        if (seconds != null && (seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS)) {
            throw new IllegalArgumentException("intervalSeconds must be from " + MIN_INTERVAL_SECONDS + " to "
                    + MAX_INTERVAL_SECONDS + " (a year), or null to scan only when asked; was " + seconds);
        }
        return seconds;
    }
}
