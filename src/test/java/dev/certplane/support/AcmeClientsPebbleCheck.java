package dev.certplane.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.certplane.support.AcmeClients.Certbot;
import dev.certplane.support.AcmeClients.Eab;
import dev.certplane.support.AcmeClients.Lego;
import dev.certplane.support.AcmeClients.RevocationReason;
import tools.jackson.databind.JsonNode;

/**
 * Proves {@link AcmeClients} against Pebble (Debian package {@code pebble}), the ACME test server, until
 * Certplane's own ACME server can take its place. Not part of the suites (the name matches neither
 * {@code *Test} nor {@code *IT}); run it by hand:
 * {@code mvn -o -q test -Dtest=AcmeClientsPebbleCheck -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Pebble runs on loopback ports with a certificate from a private CA made here, whose bundle the
 * clients are given, as they will be for Certplane. {@code PEBBLE_VA_ALWAYS_VALID} makes every answered
 * challenge valid without any connection; {@code PEBBLE_AUTHZREUSE=100} hands a later order for the same
 * names the already valid authorizations, as Certplane's {@code trust_authenticated} mode does for every
 * order, so renewals run with no challenge at all. {@code pebble-challtestsrv} is the loopback DNS server
 * that lego's one propagation query goes to. A second Pebble requires external account binding.
 */
class AcmeClientsPebbleCheck {

    private static final String EAB_KID = "kid-1";
    private static final String EAB_HMAC = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    @TempDir
    static Path dir;

    private static final List<Process> started = new ArrayList<>();
    private static Path caBundle;
    private static int dnsPort;
    private static Pebble pebble;
    private static Pebble pebbleWithEab;

    private record Pebble(int port, int managementPort) {

        String directory() {
            return "https://localhost:" + port + "/dir";
        }
    }

    @BeforeAll
    static void startPebble() throws Exception {
        for (String program : List.of("pebble", "pebble-challtestsrv", "certbot", "lego")) {
            assumeTrue(onPath(program), program + " is not installed");
        }
        caBundle = writeCaAndServerCertificate();
        dnsPort = freePortForTcpAndUdp();
        int challtestsrvManagement = AcmeClients.freeLoopbackPort();
        start(dir.resolve("challtestsrv.log"), List.of("pebble-challtestsrv", "-dns01", "127.0.0.1:" + dnsPort,
                "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:" + challtestsrvManagement));
        waitForTcp(challtestsrvManagement);
        pebble = startPebble("pebble", false);
        pebbleWithEab = startPebble("pebble-eab", true);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process process : started) {
            process.destroy();
        }
        for (Process process : started) {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void certbotRegistersIssuesRenewsAndRevokes() {
        Certbot certbot = AcmeClients.certbot(pebble.directory(), caBundle, dir.resolve("certbot"));

        certbot.certonly("single", List.of("one.certbot.example"));
        assertThat(AcmeClients.dnsNames(certbot.issued("single"))).containsExactly("one.certbot.example");
        assertThat(AcmeClients.readCertificates(certbot.fullchain("single"))).hasSizeGreaterThan(1);
        assertThat(certbot.privateKey("single")).isRegularFile();

        List<String> three = List.of("a.certbot.example", "b.certbot.example", "c.certbot.example");
        certbot.certonly("multi", three);
        X509Certificate first = certbot.issued("multi");
        assertThat(AcmeClients.dnsNames(first)).containsExactlyInAnyOrderElementsOf(three);

        certbot.certonly("wildcard", List.of("*.wild.certbot.example", "wild.certbot.example"));
        assertThat(AcmeClients.dnsNames(certbot.issued("wildcard")))
                .containsExactlyInAnyOrder("*.wild.certbot.example", "wild.certbot.example");

        certbot.renew("multi");
        X509Certificate renewed = certbot.issued("multi");
        assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(renewed.getPublicKey()).isNotEqualTo(first.getPublicKey());
        assertThat(AcmeClients.dnsNames(renewed)).containsExactlyInAnyOrderElementsOf(three);

        certbot.revoke("multi", RevocationReason.KEY_COMPROMISE);
        assertRevoked(renewed, RevocationReason.KEY_COMPROMISE);

        int port = AcmeClients.freeLoopbackPort();
        certbot.withHttp01Listener(port).certonly("listener", List.of("listener.certbot.example"));
        assertThat(AcmeClients.dnsNames(certbot.issued("listener"))).containsExactly("listener.certbot.example");
    }

    @Test
    void legoRegistersIssuesRenewsAndRevokes() {
        Lego lego = AcmeClients.lego(pebble.directory(), caBundle, dir.resolve("lego"))
                .withDnsResolver("127.0.0.1:" + dnsPort);

        lego.run(List.of("one.lego.example"));
        assertThat(AcmeClients.dnsNames(lego.issued("one.lego.example"))).containsExactly("one.lego.example");
        assertThat(AcmeClients.readCertificates(lego.certificate("one.lego.example"))).hasSizeGreaterThan(1);
        assertThat(lego.privateKey("one.lego.example")).isRegularFile();

        List<String> three = List.of("a.lego.example", "b.lego.example", "c.lego.example");
        lego.run(three);
        X509Certificate first = lego.issued("a.lego.example");
        assertThat(AcmeClients.dnsNames(first)).containsExactlyInAnyOrderElementsOf(three);

        lego.run(List.of("*.wild.lego.example", "wild.lego.example"));
        assertThat(lego.certificate("*.wild.lego.example").getFileName()).hasToString("_.wild.lego.example.crt");
        assertThat(AcmeClients.dnsNames(lego.issued("*.wild.lego.example")))
                .containsExactlyInAnyOrder("*.wild.lego.example", "wild.lego.example");

        lego.renew(three);
        X509Certificate renewed = lego.issued("a.lego.example");
        assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(renewed.getPublicKey()).isNotEqualTo(first.getPublicKey());
        assertThat(AcmeClients.dnsNames(renewed)).containsExactlyInAnyOrderElementsOf(three);

        lego.revoke("a.lego.example", RevocationReason.KEY_COMPROMISE);
        assertRevoked(renewed, RevocationReason.KEY_COMPROMISE);

        int port = AcmeClients.freeLoopbackPort();
        lego.withHttp01Listener(port).run(List.of("listener.lego.example"));
        assertThat(AcmeClients.dnsNames(lego.issued("listener.lego.example"))).containsExactly("listener.lego.example");
    }

    @Test
    void bothRegisterWithExternalAccountBindingWhenTheServerRequiresIt() {
        Eab eab = new Eab(EAB_KID, EAB_HMAC);

        Certbot withoutEab = AcmeClients.certbot(pebbleWithEab.directory(), caBundle, dir.resolve("certbot-no-eab"));
        assertThat(withoutEab.attempt(List.of("register")).exitCode()).isNotZero();
        Certbot certbot = AcmeClients.certbot(pebbleWithEab.directory(), caBundle, dir.resolve("certbot-eab"))
                .withEab(eab);
        certbot.certonly("eab", List.of("eab.certbot.example"));
        assertThat(AcmeClients.dnsNames(certbot.issued("eab"))).containsExactly("eab.certbot.example");

        Lego legoWithoutEab = AcmeClients.lego(pebbleWithEab.directory(), caBundle, dir.resolve("lego-no-eab"));
        assertThat(legoWithoutEab.attempt(List.of("eab.lego.example"), List.of("run")).exitCode()).isNotZero();
        Lego lego = AcmeClients.lego(pebbleWithEab.directory(), caBundle, dir.resolve("lego-eab")).withEab(eab);
        lego.run(List.of("eab.lego.example"));
        assertThat(AcmeClients.dnsNames(lego.issued("eab.lego.example"))).containsExactly("eab.lego.example");
    }

    private static void assertRevoked(X509Certificate certificate, RevocationReason reason) {
        ApiClient.Response status = new ApiClient(pebble.managementPort(), caBundle)
                .get("/cert-status-by-serial/" + certificate.getSerialNumber().toString(16), null);
        assertThat(status.status()).isEqualTo(200);
        JsonNode json = status.json();
        assertThat(json.get("Status").asString()).isEqualTo("Revoked");
        assertThat(json.get("Reason").asInt()).isEqualTo(reason.code);
    }

    private static Pebble startPebble(String name, boolean eabRequired) throws Exception {
        int port = AcmeClients.freeLoopbackPort();
        int managementPort = AcmeClients.freeLoopbackPort();
        String eab = eabRequired
                ? "\"externalAccountBindingRequired\": true, \"externalAccountMACKeys\": {\"" + EAB_KID + "\": \""
                        + EAB_HMAC + "\"}"
                : "\"externalAccountBindingRequired\": false";
        Path config = dir.resolve(name + ".json");
        // httpPort and tlsPort are where Pebble would validate; with PEBBLE_VA_ALWAYS_VALID it never connects
        Files.writeString(config, """
                {"pebble": {
                  "listenAddress": "127.0.0.1:%d",
                  "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s",
                  "privateKey": "%s",
                  "httpPort": %d,
                  "tlsPort": %d,
                  "ocspResponderURL": "",
                  %s
                }}
                """.formatted(port, managementPort, dir.resolve("server.pem"), dir.resolve("server-key.pem"),
                AcmeClients.freeLoopbackPort(), AcmeClients.freeLoopbackPort(), eab));
        ProcessBuilder builder = new ProcessBuilder("pebble", "-config", config.toString(),
                "-dnsserver", "127.0.0.1:" + dnsPort);
        builder.environment().put("PEBBLE_VA_ALWAYS_VALID", "1");
        builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
        builder.environment().put("PEBBLE_AUTHZREUSE", "100");
        builder.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        Process process = start(dir.resolve(name + ".log"), builder);
        ApiClient client = new ApiClient(port, caBundle);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (client.get("/dir", null).status() == 200) {
                    return new Pebble(port, managementPort);
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Pebble did not start: " + Files.readString(dir.resolve(name + ".log")));
            }
            Thread.sleep(100);
        }
    }

    private static void start(Path log, List<String> command) throws IOException {
        start(log, new ProcessBuilder(command));
    }

    private static Process start(Path log, ProcessBuilder builder) throws IOException {
        builder.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        started.add(process);
        return process;
    }

    /** A private CA and a certificate it issued for localhost and 127.0.0.1, as Pebble's HTTPS certificate. */
    private static Path writeCaAndServerCertificate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair caKeys = generator.generateKeyPair();
        KeyPair serverKeys = generator.generateKeyPair();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        Date notBefore = new Date(System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1));
        Date notAfter = new Date(System.currentTimeMillis() + TimeUnit.DAYS.toMillis(2));
        X500Name caName = new X500Name("CN=AcmeClientsPebbleCheck CA");

        X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, notBefore, notAfter,
                caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
        X509Certificate caCertificate = sign(ca, caKeys.getPrivate());

        X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCertificate, BigInteger.TWO, notBefore,
                notAfter, new X500Name("CN=localhost"), serverKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(serverKeys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(caCertificate));
        X509Certificate serverCertificate = sign(server, caKeys.getPrivate());

        Files.writeString(dir.resolve("server.pem"), pem(serverCertificate));
        Files.writeString(dir.resolve("server-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(serverKeys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Path bundle = dir.resolve("ca-bundle.pem");
        Files.writeString(bundle, pem(caCertificate));
        return bundle;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /** A loopback port free for both TCP and UDP (pebble-challtestsrv serves DNS on both). */
    private static int freePortForTcpAndUdp() {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = AcmeClients.freeLoopbackUdpPort();
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP");
    }

    private static void waitForTcp(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nothing listens on port " + port);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }
}
