package dev.certplane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * A real BIND 9 ({@code named} from Debian's bind9 package) serving the zone {@code test.} on a loopback port,
 * authoritative only, accepting RFC 2136 dynamic updates signed with a TSIG key (HMAC-SHA256). Tests publish
 * records through {@link #add}/{@link #remove} (over the wire, as lego's rfc2136 provider does) and point the
 * server's validation resolver at {@link #address()}. One instance serves the whole test JVM.
 */
public final class Bind9 {

    public static final String ZONE = "test";
    public static final String TSIG_KEY = "certplane-test";
    public static final String TSIG_ALGORITHM = "hmac-sha256";

    private static Bind9 shared;

    private final Path dir;
    private final int port;
    private final String tsigSecret;
    private final Process process;

    private Bind9(Path dir, int port, String tsigSecret, Process process) {
        this.dir = dir;
        this.port = port;
        this.tsigSecret = tsigSecret;
        this.process = process;
    }

    /** The JVM's BIND, started on first use and stopped when the JVM exits. */
    public static synchronized Bind9 shared() {
        if (shared == null) {
            shared = start();
            Bind9 started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return shared;
    }

    /** {@code 127.0.0.1:port}, as resolver settings and lego's options take it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The TSIG secret, base64, as lego's {@code RFC2136_TSIG_SECRET} takes it. */
    public String tsigSecret() {
        return tsigSecret;
    }

    /** Adds a record, e.g. {@code add("www.x.test", "A", "127.0.0.1")} or {@code add(n, "CAA", "0 issue \"ca\"")}. */
    /** Makes the ACME client look names up through this server and ask nameservers on its port. */
    public void serveAcmeClient(DynamicPropertyRegistry registry) {
        registry.add("certplane.acme.client.dns-resolvers", this::address);
        registry.add("certplane.acme.client.nameserver-port", this::port);
    }

    /** A fresh name {@code <label>-<random>.<zone>} with an A record for 127.0.0.1. */
    public String loopbackName(String label, String zone) {
        String name = label + "-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "." + zone;
        add(name, "A", "127.0.0.1");
        return name;
    }

    public void add(String name, String type, String data) {
        Update update = new Update(Name.fromConstantString(ZONE + "."));
        try {
            update.add(Name.fromString(name, Name.root), Type.value(type), 30, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        send(update, "add " + name + " " + type + " " + data);
    }

    /** Removes every record of that name and type. */
    public void remove(String name, String type) {
        Update update = new Update(Name.fromConstantString(ZONE + "."));
        try {
            update.delete(Name.fromString(name, Name.root), Type.value(type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        send(update, "remove " + name + " " + type);
    }

    /** Removes one record, e.g. one TXT value of a name that has several. */
    public void remove(String name, String type, String data) {
        Update update = new Update(Name.fromConstantString(ZONE + "."));
        try {
            update.delete(org.xbill.DNS.Record.fromString(Name.fromString(name, Name.root), Type.value(type), DClass.IN,
                    0, data, Name.root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        send(update, "remove " + name + " " + type + " " + data);
    }

    /** The TXT values of a name, as BIND serves them now (in presentation form, quoted). */
    public List<String> txt(String name) {
        try {
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            resolver.setTimeout(Duration.ofSeconds(5));
            Message response = resolver.send(Message.newQuery(org.xbill.DNS.Record.newRecord(
                    Name.fromString(name, Name.root), Type.TXT, DClass.IN)));
            return response.getSection(Section.ANSWER).stream().map(org.xbill.DNS.Record::rdataToString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("BIND did not answer TXT " + name, e);
        }
    }

    private void send(Update update, String what) {
        try {
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            resolver.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, TSIG_KEY + ".", tsigSecret));
            resolver.setTimeout(Duration.ofSeconds(5));
            Message response = resolver.send(update);
            if (response.getRcode() != Rcode.NOERROR) {
                throw new AssertionError("BIND refused " + what + ": " + Rcode.string(response.getRcode()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("BIND did not answer " + what, e);
        }
    }

    private static Bind9 start() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String tsigSecret = Base64.getEncoder().encodeToString(secret);
        for (int attempt = 1; ; attempt++) {
            int port = AcmeClients.freeLoopbackPort();
            try {
                Path dir = Files.createTempDirectory("certplane-bind");
                Files.writeString(dir.resolve("named.conf"), config(dir, port, tsigSecret), StandardCharsets.US_ASCII);
                Files.writeString(dir.resolve(ZONE + ".zone"), """
                        $TTL 30
                        @ IN SOA ns.test. hostmaster.test. 1 60 60 600 30
                        @ IN NS ns.test.
                        ns IN A 127.0.0.1
                        """, StandardCharsets.US_ASCII);
                Process process = new ProcessBuilder("named", "-g", "-n", "1", "-c", dir.resolve("named.conf").toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("named.log").toFile()).start();
                Bind9 bind = new Bind9(dir, port, tsigSecret, process);
                if (bind.awaitReady()) {
                    return bind;
                }
                bind.stop();
                if (attempt == 3) {
                    throw new AssertionError("BIND did not start; its log:\n" + Files.readString(dir.resolve("named.log")));
                }
            } catch (IOException e) {
                throw new AssertionError("cannot start named (is the bind9 package installed?)", e);
            }
        }
    }

    private boolean awaitReady() throws IOException {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        resolver.setTimeout(Duration.ofMillis(300));
        for (int i = 0; i < 50 && process.isAlive(); i++) {
            try {
                Message response = resolver.send(Message.newQuery(org.xbill.DNS.Record.newRecord(
                        Name.fromConstantString(ZONE + "."), Type.SOA, DClass.IN)));
                if (response.getRcode() == Rcode.NOERROR && !response.getSection(Section.ANSWER).isEmpty()) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleep(100);
        }
        return false;
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String config(Path dir, int port, String secret) {
        return String.join("\n", List.of(
                "options {",
                "  directory \"" + dir + "\";",
                "  pid-file \"" + dir.resolve("named.pid") + "\";",
                "  session-keyfile \"" + dir.resolve("session.key") + "\";",
                "  listen-on port " + port + " { 127.0.0.1; };",
                "  listen-on-v6 { none; };",
                "  recursion no;",
                "  dnssec-validation no;",
                "  notify no;",
                "};",
                "controls { };",
                "key \"" + TSIG_KEY + "\" { algorithm " + TSIG_ALGORITHM + "; secret \"" + secret + "\"; };",
                "zone \"" + ZONE + "\" { type primary; file \"" + ZONE + ".zone\"; allow-update { key \"" + TSIG_KEY + "\"; }; };",
                ""));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
