package dev.certplane.alerts.internal.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import dev.certplane.shared.CertplaneProperties;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Sends one message over SMTP (RFC 5321): EHLO, STARTTLS (RFC 3207) or TLS from the start, AUTH PLAIN or LOGIN
 * (RFC 4954) only once the connection is encrypted, MAIL, RCPT per recipient, DATA with dot-stuffing, QUIT. TLS
 * checks the server's certificate and the host name against the JVM's trust store and the CA bundle Certplane writes
 * ({@code <data-dir>/ca-bundle.pem}, the built-in CA's roots), so a mail relay with a certificate from Certplane's own
 * CA is trusted as one with a public certificate is. A 4xx reply or a network error may pass; a 5xx reply will not.
 * Written over sockets because the JavaMail starter is not part of the build.
 */
@Component
class SmtpSender {

    private final NotificationSettings settings;
    private final Path caBundle;
    private final String helo;

    SmtpSender(NotificationSettings settings, CertplaneProperties certplane) {
        this.settings = settings;
        this.caBundle = certplane.caBundleFile();
        String host = certplane.externalUrl().getHost();
        this.helo = host == null || host.isBlank() ? "certplane" : host;
    }

    void send(EmailSettings mail, @Nullable String password, String message) throws DeliveryFailure {
        String server = mail.host() + ":" + mail.port();
        int timeout = (int) settings.timeout().toMillis();
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(mail.host(), mail.port()), timeout);
            socket.setSoTimeout(timeout);
            Socket current = socket;
            if (mail.security().equals("tls")) {
                current = secure(socket, mail.host(), mail.port());
            }
            Conversation c = new Conversation(current, server);
            c.expect("the greeting", 220);
            List<String> capabilities = c.command("EHLO " + helo, "EHLO", 250);
            boolean encrypted = mail.security().equals("tls");
            if (mail.security().equals("starttls")) {
                if (capabilities.stream().noneMatch(l -> keyword(l).equals("STARTTLS"))) {
                    throw new DeliveryFailure(server + " does not offer STARTTLS; set security to tls or none", false, 0);
                }
                c.command("STARTTLS", "STARTTLS", 220);
                c = new Conversation(secure(current, mail.host(), mail.port()), server);
                capabilities = c.command("EHLO " + helo, "EHLO", 250);
                encrypted = true;
            }
            if (mail.username() != null && password != null) {
                if (!encrypted) {
                    throw new DeliveryFailure("the password is only sent over an encrypted connection", false, 0);
                }
                authenticate(c, capabilities, mail.username(), password, server);
            }
            c.command("MAIL FROM:<" + mail.from() + ">", "MAIL FROM", 250);
            for (String to : mail.to()) {
                c.command("RCPT TO:<" + to + ">", "RCPT TO:<" + to + ">", 250, 251);
            }
            c.command("DATA", "DATA", 354);
            c.write(dotStuffed(message) + ".\r\n");
            c.expect("the message", 250);
            try {
                c.command("QUIT", "QUIT", 221);
            } catch (DeliveryFailure e) {
                // the message was accepted; how the server says goodbye does not matter
            }
        } catch (UnknownHostException e) {
            throw new DeliveryFailure("the SMTP host " + mail.host() + " is unknown", true, 0);
        } catch (ConnectException e) {
            throw new DeliveryFailure("cannot connect to " + server + ": connection refused or unreachable", true, 0);
        } catch (SocketTimeoutException e) {
            throw new DeliveryFailure(server + " did not answer within " + settings.timeout().toSeconds() + " s", true, 0);
        } catch (SSLException e) {
            throw new DeliveryFailure("TLS with " + server + " failed: " + DeliveryFailure.snippet(
                    String.valueOf(e.getMessage())), true, 0);
        } catch (IOException e) {
            throw new DeliveryFailure("talking to " + server + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + DeliveryFailure.snippet(e.getMessage())), true, 0);
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // closing is best effort
            }
        }
    }

    private static void authenticate(Conversation c, List<String> capabilities, String username, String password,
            String server) throws IOException, DeliveryFailure {
        List<String> mechanisms = new ArrayList<>();
        for (String line : capabilities) {
            String[] words = line.toUpperCase(Locale.ROOT).split("[ =]");
            if (words.length > 1 && words[0].equals("AUTH")) {
                mechanisms.addAll(List.of(words).subList(1, words.length));
            }
        }
        if (mechanisms.contains("PLAIN")) {
            String token = base64("\0" + username + "\0" + password);
            c.command("AUTH PLAIN " + token, "AUTH PLAIN", 235);
        } else if (mechanisms.contains("LOGIN")) {
            c.command("AUTH LOGIN", "AUTH LOGIN", 334);
            c.command(base64(username), "AUTH LOGIN (user name)", 334);
            c.command(base64(password), "AUTH LOGIN (password)", 235);
        } else {
            throw new DeliveryFailure(server + " offers neither AUTH PLAIN nor AUTH LOGIN", false, 0);
        }
    }

    private Socket secure(Socket plain, String host, int port) throws IOException {
        SSLSocket tls = (SSLSocket) trusted().createSocket(plain, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.setSoTimeout((int) settings.timeout().toMillis());
        tls.startHandshake();
        return tls;
    }

    /**
     * TLS that trusts the JVM's anchors and the certificates in Certplane's CA bundle. Built for each connection:
     * sends are rare and the bundle changes when the built-in CA's roots do.
     */
    private SSLSocketFactory trusted() throws IOException {
        try {
            TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jvm.init((KeyStore) null);
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (TrustManager manager : jvm.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate anchor : x509.getAcceptedIssuers()) {
                        anchors.setCertificateEntry("jvm-" + i++, anchor);
                    }
                }
            }
            if (Files.isRegularFile(caBundle)) {
                try (InputStream in = Files.newInputStream(caBundle)) {
                    for (Certificate root : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        anchors.setCertificateEntry("certplane-" + i++, root);
                    }
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    /** Lines starting with a dot get another (RFC 5321 4.5.2); the message ends with CRLF. */
    static String dotStuffed(String message) {
        String text = message.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
        if (!text.endsWith("\r\n")) {
            text += "\r\n";
        }
        return (text.startsWith(".") ? "." : "") + text.replace("\r\n.", "\r\n..");
    }

    private static String keyword(String line) {
        return line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Commands and replies on one connection; a reply's lines are returned without their codes. */
    private static final class Conversation {

        private final BufferedReader in;
        private final OutputStream out;
        private final String server;

        Conversation(Socket socket, String server) throws IOException {
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
            this.server = server;
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        List<String> command(String line, String shown, int... accepted) throws IOException, DeliveryFailure {
            write(line + "\r\n");
            return expect(shown, accepted);
        }

        List<String> expect(String what, int... accepted) throws IOException, DeliveryFailure {
            List<String> lines = new ArrayList<>();
            int code;
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("the server closed the connection");
                }
                if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                    throw new DeliveryFailure(server + " sent a reply that is not SMTP: "
                            + DeliveryFailure.snippet(line), false, 0);
                }
                code = Integer.parseInt(line.substring(0, 3));
                lines.add(line.length() > 4 ? line.substring(4) : "");
                if (line.length() == 3 || line.charAt(3) != '-') {
                    break;
                }
            }
            for (int ok : accepted) {
                if (code == ok) {
                    return lines;
                }
            }
            throw new DeliveryFailure(server + " answered " + code + " to " + what + ": "
                    + DeliveryFailure.snippet(String.join(" ", lines)), code >= 400 && code < 500, code);
        }
    }
}
