package dev.certplane.inventory.internal.discovery;

import org.jspecify.annotations.Nullable;

/**
 * One TLS endpoint a scan connects to.
 *
 * @param host a lowercase DNS name or an IP literal (IPv6 without brackets)
 * @param sni the server name to send (RFC 6066 3), or {@code null} to send none
 */
public record ScanEndpoint(String host, int port, @Nullable String sni) {

    /** {@code host:port}, with IPv6 literals in brackets (RFC 3986 3.2.2). */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return sni == null ? address() : address() + " (SNI " + sni + ")";
    }
}
