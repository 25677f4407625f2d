package dev.certplane.acme.server.internal.validation;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import dev.certplane.acme.protocol.ProblemType;
import dev.certplane.pki.AcceptAnyCertificate;

/**
 * TLS for validation. The peer's certificate is never trusted or refused here: TLS-ALPN-01 inspects a
 * self-signed certificate itself (RFC 8737 3), and an HTTP-01 redirect to HTTPS is followed whatever the
 * certificate, because the key authorization, not the certificate, is the proof (RFC 8555 8.3, 10.2).
 */
final class Tls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private static final SSLContext CONTEXT = context();

    /** Closes TLS connections at their validation's deadline. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "validation-tls-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private Tls() {
    }

    /**
     * @param sni the name sent in SNI, or null to send none
     * @param alpn the protocols offered with ALPN (RFC 7301), may be empty
     */
    static SSLSocket handshake(Socket socket, String peer, String sni, List<String> alpn, Deadline deadline,
            java.time.Duration readTimeout) {
        try {
            SSLSocket ssl = (SSLSocket) CONTEXT.getSocketFactory().createSocket(socket, sni == null ? peer : sni,
                    socket.getPort(), true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setProtocols(PROTOCOLS);
            if (sni != null) {
                parameters.setServerNames(List.of(new SNIHostName(sni)));
            }
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
            ssl.setSSLParameters(parameters);
            ssl.setSoTimeout(deadline.capMillis(readTimeout));
            // SO_TIMEOUT bounds each read, but a handshake, and a TLS read that waits for a whole record, are many
            // reads: a server sending one byte at a time would hold the connection long past the deadline. So it is
            // closed at the deadline, whatever it is doing then; if it was closed before, this does nothing.
            DEADLINES.schedule(() -> closeQuietly(socket), deadline.leftMillis(), TimeUnit.MILLISECONDS);
            ssl.startHandshake();
            return ssl;
        } catch (IOException | IllegalArgumentException e) {
            if (deadline.passed()) {
                throw deadline.expired();
            }
            throw new ValidationFailure(ProblemType.TLS, "the TLS handshake with " + peer + " failed: " + e.getMessage());
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is wanted; a failure leaves nothing to do.
        }
    }

    private static SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAnyCertificate()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
