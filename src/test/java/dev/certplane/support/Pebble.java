package dev.certplane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.Pem;

/**
 * Let's Encrypt's test CA, Pebble (Debian's pebble package), on loopback ports, as the external CA our ACME
 * client talks to. Its HTTPS listener uses a certificate made here, which {@link #trustBundlePem()} returns
 * for the client to trust; with {@code eabKeys} it requires external account binding with those keys.
 */
public final class Pebble implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int managementPort;
    private final String certificatePem;
    private final Path dir;

    private Pebble(Process process, int port, int managementPort, String certificatePem, Path dir) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.certificatePem = certificatePem;
        this.dir = dir;
    }

    /**
     * @param eabKeys key id → base64url MAC key; empty: no binding required
     * @param dnsServer {@code host:port} Pebble resolves through when it validates, or null
     */
    public static Pebble start(Map<String, String> eabKeys, String dnsServer, int httpPort, int tlsPort) {
        return start(eabKeys, dnsServer, httpPort, tlsPort, Map.of());
    }

    /** @param environment more settings, such as {@code PEBBLE_ALTERNATE_ROOTS} */
    public static Pebble start(Map<String, String> eabKeys, String dnsServer, int httpPort, int tlsPort,
            Map<String, String> environment) {
        try {
            Path dir = Files.createTempDirectory("certplane-pebble");
            KeyPair key = KeyType.EC_P256.generate();
            Instant now = Instant.ofEpochSecond(System.currentTimeMillis() / 1000);
            X509Certificate certificate = CertificateSigner.sign(new CertificateSpec("CN=pebble", key.getPublic(),
                    BigInteger.valueOf(now.getEpochSecond()), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)),
                    false, null, Set.of(), List.of(), List.of("localhost"), List.of("127.0.0.1"), null, null, null), null,
                    key.getPrivate());
            String certificatePem = Pem.encodeCertificate(certificate);
            Files.writeString(dir.resolve("cert.pem"), certificatePem, StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("key.pem"), Pem.encodePrivateKey(key.getPrivate()), StandardCharsets.US_ASCII);
            int port = AcmeClients.freeLoopbackPort();
            int management = AcmeClients.freeLoopbackPort();
            String keys = eabKeys.entrySet().stream().map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                    .collect(Collectors.joining(", "));
            Files.writeString(dir.resolve("pebble.json"), """
                    {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                      "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                      "ocspResponderURL": "", "externalAccountBindingRequired": %s,
                      "externalAccountMACKeys": {%s}}}
                    """.formatted(port, management, dir.resolve("cert.pem"), dir.resolve("key.pem"), httpPort, tlsPort,
                    !eabKeys.isEmpty(), keys), StandardCharsets.US_ASCII);
            ProcessBuilder builder = new ProcessBuilder("pebble", "-config", dir.resolve("pebble.json").toString());
            if (dnsServer != null) {
                builder.command().addAll(List.of("-dnsserver", dnsServer));
            }
            builder.environment().putAll(Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0"));
            builder.environment().putAll(environment);
            Process process = builder.directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pebble.log").toFile()).start();
            Pebble pebble = new Pebble(process, port, management, certificatePem, dir);
            pebble.awaitDirectory();
            return pebble;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pebble (is the pebble package installed?)", e);
        }
    }

    public String directoryUrl() {
        return "https://127.0.0.1:" + port + "/dir";
    }

    /** The certificate of Pebble's HTTPS listener, which a client must trust to talk to it. */
    public String trustBundlePem() {
        return certificatePem;
    }

    /** The intermediate of chain {@code index} (0: the default chain), from Pebble's management interface. */
    public X509Certificate intermediate(int index) {
        SSLContext trust = AcmeClients.trustingOnly(Pem.decodeCertificates(certificatePem));
        HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + managementPort + "/intermediates/" + index)).build(), HttpResponse.BodyHandlers.ofString());
            return Pem.decodeCertificates(response.body()).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("pebble.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitDirectory() {
        SSLContext trust = AcmeClients.trustingOnly(Pem.decodeCertificates(certificatePem));
        HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(1)).build();
        for (int i = 0; i < 100 && process.isAlive(); i++) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(directoryUrl())).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new AssertionError("pebble did not serve its directory; its log:\n" + log());
    }
}
