package dev.certplane.probes.internal;

import dev.certplane.handshake.Hosts;
import dev.certplane.handshake.Starttls;
import dev.certplane.handshake.TlsEndpoint;

import org.jspecify.annotations.Nullable;

/**
 * A probe target as an operator describes it, validated: the endpoint (host, port, optional SNI name, optional SMTP
 * STARTTLS), the managed certificate it should serve, and an interval in seconds ({@code null} to probe only when
 * asked and after deliveries).
 *
 * @param host a lowercase DNS name or an IP literal in its usual text
 * @param sni the SNI name to send in place of the host, or {@code null}
 */
public record ProbeTargetDraft(String host, int port, @Nullable String sni, Starttls starttls,
        String managedCertificateId, @Nullable Long intervalSeconds, boolean enabled) {

    public static final long MIN_INTERVAL_SECONDS = 60;
    public static final long MAX_INTERVAL_SECONDS = 366L * 24 * 3600;

    /** Checks and normalizes what an operator sent; every problem is an {@link IllegalArgumentException}. */
    public static ProbeTargetDraft of(@Nullable String host, @Nullable Integer port, @Nullable String sni,
            @Nullable String starttls, @Nullable String managedCertificateId, @Nullable Long intervalSeconds,
            @Nullable Boolean enabled) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be a DNS name or an IP address, such as shop.example.com");
        }
        String stripped = host.strip();
        if (stripped.startsWith("[") && stripped.endsWith("]")) {
            stripped = stripped.substring(1, stripped.length() - 1);
        }
        String normalized = Hosts.host(stripped, "host");
        if (port == null) {
            throw new IllegalArgumentException("port is required, such as 443");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1 to 65535");
        }
        if (managedCertificateId == null || managedCertificateId.isBlank()) {
            throw new IllegalArgumentException("managedCertificateId must name the managed certificate the endpoint"
                    + " should serve");
        }
        if (managedCertificateId.strip().length() > 64) {
            throw new IllegalArgumentException("managedCertificateId is not the id of a managed certificate: ids have"
                    + " at most 64 characters");
        }
        if (intervalSeconds != null && (intervalSeconds < MIN_INTERVAL_SECONDS || intervalSeconds > MAX_INTERVAL_SECONDS)) {
            throw new IllegalArgumentException("intervalSeconds must be from " + MIN_INTERVAL_SECONDS + " to "
                    + MAX_INTERVAL_SECONDS + " (a year), or null to probe only when asked and after deliveries; was "
                    + intervalSeconds);
        }
        return new ProbeTargetDraft(normalized, port, Hosts.sni(sni), Starttls.parse(starttls),
                managedCertificateId.strip(), intervalSeconds, enabled == null || enabled);
    }

    /** The name a client checks the certificate against: the SNI name, or else the host. */
    public String name() {
        return sni != null ? sni : host;
    }

    /**
     * What to connect to. As a browser does, the host goes out as SNI when it is a DNS name and no other SNI name is
     * set; an IP address never does (RFC 6066 3).
     */
    public TlsEndpoint endpoint() {
        String sent = sni != null ? sni : Hosts.ipOctets(host).isPresent() ? null : host;
        return new TlsEndpoint(host, port, sent, starttls);
    }

    /** The endpoint as operators read it: host:port, the SNI name set for it, STARTTLS. */
    public String describe() {
        return new TlsEndpoint(host, port, sni, starttls).toString();
    }
}
