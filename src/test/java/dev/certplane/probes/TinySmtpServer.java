package dev.certplane.probes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.certplane.probes.ProbePki.Issued;

/**
 * Just enough of an SMTP server for a STARTTLS probe (RFC 5321, RFC 3207): greeting, EHLO with or without the
 * STARTTLS capability, STARTTLS, then a TLS handshake with the given certificate, one client at a time.
 */
final class TinySmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final SSLContext tls;
    private final boolean offersStarttls;

    TinySmtpServer(Issued served, boolean offersStarttls) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("smtp", served.key(), new char[0], served.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, new char[0]);
        this.tls = SSLContext.getInstance("TLS");
        this.tls.init(managers.getKeyManagers(), null, null);
        this.offersStarttls = offersStarttls;
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::serve, "tiny-smtp-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout(5000);
                converse(client);
            } catch (IOException e) {
                // a client that gives up, or the socket closing
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = client.getOutputStream();
        send(out, "220 smtp.probes.test ESMTP ready");
        String ehlo = in.readLine();
        if (ehlo == null || !ehlo.startsWith("EHLO ")) {
            send(out, "500 5.5.1 say EHLO first");
            return;
        }
        send(out, offersStarttls ? "250-smtp.probes.test greets you\r\n250-PIPELINING\r\n250 STARTTLS"
                : "250-smtp.probes.test greets you\r\n250 8BITMIME");
        String command = in.readLine();
        if (!"STARTTLS".equals(command) || !offersStarttls) {
            send(out, "502 5.5.1 not implemented");
            return;
        }
        send(out, "220 2.0.0 Ready to start TLS");
        // The client sends its ClientHello only after reading the 220, so the reader has buffered nothing of it.
        try (SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(client, null, client.getPort(), false)) {
            secured.setUseClientMode(false);
            secured.startHandshake();
        }
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
