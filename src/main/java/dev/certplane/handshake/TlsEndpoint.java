package dev.certplane.handshake;

import org.jspecify.annotations.Nullable;

/**
 * One TLS endpoint to connect to.
 *
 * @param host a lowercase DNS name or an IP literal (IPv6 without brackets), as {@link Hosts#host} makes it
 * @param sni the server name to send (RFC 6066 3), or {@code null} to send none
 * @param starttls what to say on the connection before the handshake
 */
public record TlsEndpoint(String host, int port, @Nullable String sni, Starttls starttls) {

    /** An endpoint whose handshake starts at once. */
    public TlsEndpoint(String host, int port, @Nullable String sni) {
        this(host, port, sni, Starttls.NONE);
    }

    /** {@code host:port}, with IPv6 literals in brackets (RFC 3986 3.2.2). */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        String text = sni == null ? address() : address() + " (SNI " + sni + ")";
        return starttls == Starttls.NONE ? text : text + " (STARTTLS " + starttls.wire() + ")";
    }
}
