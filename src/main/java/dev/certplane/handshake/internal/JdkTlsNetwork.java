package dev.certplane.handshake.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import dev.certplane.handshake.Handshake;
import dev.certplane.handshake.Starttls;
import dev.certplane.handshake.TlsEndpoint;
import dev.certplane.handshake.TlsNetwork;
import dev.certplane.pki.AcceptAnyCertificate;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * {@link TlsNetwork} over JDK sockets: TLS 1.3 or 1.2, SNI only when the endpoint sets one, SMTP STARTTLS when it
 * asks for it. The JDK client asks for a stapled OCSP response (status_request, RFC 6066 8) by default, so
 * whatever the server staples is reported.
 */
@Component
class JdkTlsNetwork implements TlsNetwork {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    @Override
    public Handshake handshake(TlsEndpoint endpoint, Timeouts timeouts) throws IOException {
        try (Socket tcp = new Socket()) {
            tcp.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), millis(timeouts.connect()));
            tcp.setSoTimeout(millis(timeouts.read()));
            if (endpoint.starttls() == Starttls.SMTP) {
                SmtpStarttls.negotiate(tcp);
            }
            try (SSLSocket tls = (SSLSocket) freshContext().getSocketFactory().createSocket(tcp, endpoint.host(),
                    endpoint.port(), false)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setProtocols(PROTOCOLS);
                // Without an explicit list the JDK would send the host as SNI whenever it is a DNS name; an endpoint
                // without sni means "send none", and IP literals never go in server_name (RFC 6066 3).
                parameters.setServerNames(endpoint.sni() == null ? List.of() : List.of(new SNIHostName(endpoint.sni())));
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                SSLSession session = tls.getSession();
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate certificate : session.getPeerCertificates()) {
                    if (certificate instanceof X509Certificate x509) {
                        chain.add(x509);
                    }
                }
                if (chain.isEmpty()) {
                    throw new IOException("the server presented no X.509 certificate");
                }
                return new Handshake(chain, session.getProtocol(), session.getCipherSuite(), stapled(session));
            }
        }
    }

    private static byte @Nullable [] stapled(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            List<byte[]> responses = extended.getStatusResponses();
            if (!responses.isEmpty() && responses.get(0).length > 0) {
                return responses.get(0);
            }
        }
        return null;
    }

    private static int millis(java.time.Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }

    /**
     * A context per handshake, so its session cache is empty: a resumed session (RFC 8446 2.2) carries no
     * Certificate message, and the JDK would report the certificate of the earlier handshake, hiding a change.
     */
    private static SSLContext freshContext() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAnyCertificate()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available: " + e.getMessage(), e);
        }
    }
}
