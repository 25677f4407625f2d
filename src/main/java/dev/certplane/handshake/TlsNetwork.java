package dev.certplane.handshake;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;

/** How Certplane reaches other servers' TLS endpoints: one handshake, returning what the server presented. */
public interface TlsNetwork {

    /**
     * How long a handshake may wait.
     *
     * @param connect for the TCP connection
     * @param read for each read from the server during STARTTLS and the handshake
     */
    record Timeouts(Duration connect, Duration read) {
    }

    /**
     * Connects, says STARTTLS if the endpoint asks for it, completes a TLS handshake without judging the server's
     * certificate, and returns what the server presented.
     *
     * @throws IOException when the endpoint does not answer, refuses, times out, refuses STARTTLS or fails the
     *     handshake
     */
    Handshake handshake(TlsEndpoint endpoint, Timeouts timeouts) throws IOException;

    /** Why an endpoint did not answer, in a few words: the failure's message, or its kind when it has none. */
    static String describe(Exception failure) {
        if (failure instanceof UnknownHostException) {
            return "unknown host";
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
