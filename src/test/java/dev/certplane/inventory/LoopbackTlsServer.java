package dev.certplane.inventory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A JDK TLS server on 127.0.0.1 and a free port that completes handshakes and hangs up. What it serves can be
 * swapped at any time, and can depend on the SNI name the client sent.
 */
final class LoopbackTlsServer implements AutoCloseable {

    /** A private key and the chain sent with it, leaf first. */
    record Served(PrivateKey key, List<X509Certificate> chain) {

        X509Certificate leaf() {
            return chain.get(0);
        }
    }

    private static final String DEFAULT = "default";

    private final Map<String, Served> served = new ConcurrentHashMap<>();
    private final SSLServerSocket socket;
    private final ExecutorService handshakes = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "loopback-tls-handshake");
        thread.setDaemon(true);
        return thread;
    });

    LoopbackTlsServer(Served initial) throws Exception {
        served.put(DEFAULT, initial);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new BySni()}, null, null);
        socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 100,
                InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::accept, "loopback-tls-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Serves {@code next} from the next handshake on to clients that send no SNI name or an unknown one. */
    void serve(Served next) {
        served.put(DEFAULT, next);
    }

    /** Serves {@code next} to clients that send {@code sni}. */
    void serve(String sni, Served next) {
        served.put(sni, next);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        handshakes.shutdownNow();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                handshakes.execute(() -> handshake((SSLSocket) client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void handshake(SSLSocket client) {
        try (client) {
            client.setSoTimeout(5000);
            client.startHandshake();
        } catch (IOException e) {
            // A client that gives up mid-handshake is the client's business.
        }
    }

    /** Picks the alias by the SNI name of the handshake in progress; the alias is the name (or "default"). */
    private final class BySni extends X509ExtendedKeyManager {

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return alias(keyType, ((SSLSocket) socket).getHandshakeSession());
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return alias(keyType, engine.getHandshakeSession());
        }

        private String alias(String keyType, SSLSession session) {
            String alias = DEFAULT;
            if (session instanceof ExtendedSSLSession extended) {
                for (SNIServerName name : extended.getRequestedServerNames()) {
                    if (name instanceof SNIHostName host && served.containsKey(host.getAsciiName())) {
                        alias = host.getAsciiName();
                    }
                }
            }
            return served.get(alias).key().getAlgorithm().equals(keyType) ? alias : null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return served.get(alias).chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return served.get(alias).key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return served.keySet().toArray(String[]::new);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
