package dev.certplane.acme.server.internal.validation;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.function.Function;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A TLS server on a random loopback port with one certificate, recording the SNI names and ALPN protocols each
 * client sent, choosing the ALPN protocol as a test says, then handing the connection to a test's handler.
 */
final class TlsServer implements AutoCloseable {

    @FunctionalInterface
    interface Handler {
        void handle(SSLSocket socket) throws Exception;
    }

    /** SNI host names received, one per handshake that carried one. */
    final List<String> serverNames = Collections.synchronizedList(new ArrayList<>());
    /** The ALPN protocols offered, one list per handshake that offered any. */
    final List<List<String>> offeredProtocols = Collections.synchronizedList(new ArrayList<>());
    private final List<SSLSocket> connections = Collections.synchronizedList(new ArrayList<>());
    private final SSLServerSocket listener;

    /**
     * @param alpn the protocol chosen from those offered: "" for none, null to refuse them all
     * @param afterHandshake what to do with the connection once the handshake is done
     */
    TlsServer(String address, KeyPair key, X509Certificate certificate, Function<List<String>, String> alpn,
            Handler afterHandshake) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("challenge", key.getPrivate(), new char[0], new Certificate[] {certificate});
        KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
        keys.init(store, new char[0]);
        context.init(keys.getKeyManagers(), null, null);
        listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getByName(address));
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    SSLSocket socket = (SSLSocket) listener.accept();
                    connections.add(socket);
                    Thread connection = new Thread(() -> serve(socket, alpn, afterHandshake), "tls-server-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void serve(SSLSocket socket, Function<List<String>, String> alpn, Handler afterHandshake) {
        try (socket) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                @Override
                public boolean matches(SNIServerName name) {
                    serverNames.add(new SNIHostName(name.getEncoded()).getAsciiName());
                    return true;
                }
            }));
            socket.setSSLParameters(parameters);
            socket.setHandshakeApplicationProtocolSelector((s, offered) -> {
                offeredProtocols.add(List.copyOf(offered));
                return alpn.apply(offered);
            });
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            afterHandshake.handle(socket);
        } catch (Exception e) {
            // The client gave up or the test closed the server.
        }
    }

    /** Waits for the client to close the connection. */
    static void untilClosed(SSLSocket socket) throws IOException {
        while (socket.getInputStream().read() >= 0) {
            // Discard.
        }
    }

    static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /**
     * A self-signed certificate as a TLS-ALPN-01 responder would make it (RFC 8737 3).
     *
     * @param acmeIdentifier the acmeIdentifier extension's value, or null for none
     */
    static X509Certificate certificate(KeyPair key, List<GeneralName> names, ASN1Encodable acmeIdentifier,
            boolean critical) throws IOException, GeneralSecurityException, OperatorCreationException {
        X500Name subject = new X500Name("CN=ACME challenge response");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)), subject, key.getPublic());
        if (!names.isEmpty()) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        if (acmeIdentifier != null) {
            builder.addExtension(new ASN1ObjectIdentifier(TlsAlpn01Validator.ACME_IDENTIFIER_OID), critical,
                    acmeIdentifier);
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    static GeneralName dnsName(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    static GeneralName ipAddress(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (connections) {
            for (SSLSocket socket : connections) {
                socket.close();
            }
        }
    }
}
