package dev.certplane.inventory.internal.discovery;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;

/** How a scan reaches the network: one TLS handshake, returning what the server presented. */
public interface TlsNetwork {

    /**
     * Connects, completes a TLS handshake without judging the server's certificate, and returns the chain the
     * server sent, leaf first.
     *
     * @throws IOException when the endpoint does not answer, refuses, times out or fails the handshake
     */
    List<X509Certificate> handshake(ScanEndpoint endpoint) throws IOException;
}
