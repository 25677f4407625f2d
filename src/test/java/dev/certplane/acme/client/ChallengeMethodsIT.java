package dev.certplane.acme.client;

import static dev.certplane.support.AcmeWorkflowApi.detail;
import static dev.certplane.support.AcmeWorkflowApi.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.AcmeClients;
import dev.certplane.support.AcmeWorkflowApi;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.Bind9;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.FakeCloudflare;
import dev.certplane.support.FakeCloudflare.Call;
import dev.certplane.support.IntegrationTestConfig;
import dev.certplane.support.MutableClock;
import dev.certplane.support.Pebble;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * DNS providers and http-01 methods against a real CA: Pebble validates through a real BIND 9 and fetches http-01
 * answers from a plain file server on loopback that serves a directory, the webroot. The {@code cloudflare}
 * provider talks to a local server speaking Cloudflare's API, which writes the records it is given into BIND so
 * that Pebble sees them; the {@code exec} provider runs a script that only logs its calls, and the test applies
 * the log to BIND (the propagation check waits for that, as it would for any slow provider). The built-in
 * responder is off in this context.
 */
@CertplaneIT
@TestPropertySource(properties = {
        "certplane.acme.profiles.methods.allowed-domains=.cm.test",
        "certplane.acme.client.poll-interval=200ms",
        "certplane.acme.client.run-interval=500ms",
        "certplane.acme.client.max-attempts=2"})
class ChallengeMethodsIT {

    static final String ADMIN = ApiClient.basic("admin", IntegrationTestConfig.ADMIN_PASSWORD);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Bind9 BIND = Bind9.shared();
    static final String TOKEN = "cm-" + UUID.randomUUID().toString().replace("-", "");
    static final Path DIR = temporaryDirectory();
    static final Path PROGRAMS = directory(DIR.resolve("programs"));
    static final Path WEBROOT = directory(DIR.resolve("webroot"));
    static final Path DNS_LOG = DIR.resolve("dns-calls.log");
    static final Path HTTP_LOG = DIR.resolve("http-calls.log");
    static final FakeCloudflare CLOUDFLARE = new FakeCloudflare(TOKEN, List.of("cm.test"),
            (name, content) -> BIND.add(name, "TXT", content), (name, content) -> BIND.remove(name, "TXT", content));
    static final FileServer FILES = new FileServer(WEBROOT);

    static Pebble pebble;
    static Thread mirror;

    @DynamicPropertySource
    static void network(DynamicPropertyRegistry registry) {
        BIND.serveAcmeClient(registry);
        registry.add("certplane.acme.client.cloudflare-api-url", CLOUDFLARE::apiUrl);
        registry.add("certplane.acme.client.exec-directories", PROGRAMS::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    MutableClock clock;

    ApiClient api;
    DeliveryApi delivery;
    AcmeWorkflowApi workflows;
    String issuerId;

    @BeforeAll
    static void start() {
        pebble = Pebble.start(Map.of(), BIND.address(), FILES.port(), AcmeClients.freeLoopbackPort());
        mirror = new Thread(ChallengeMethodsIT::mirrorExecCallsIntoBind, "exec-dns-mirror");
        mirror.setDaemon(true);
        mirror.start();
    }

    @AfterAll
    static void stop() {
        mirror.interrupt();
        pebble.close();
        CLOUDFLARE.close();
        FILES.close();
    }

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, certplane.caBundleFile());
        delivery = new DeliveryApi(api);
        workflows = new AcmeWorkflowApi(api);
        issuerId = workflows.registeredIssuer("pebble-" + unique(), pebble);
    }

    @Test
    void dns01ThroughCloudflareCreatesAndDeletesTheRecordsWithTheToken() {
        String base = "cf-" + unique() + ".cm.test";
        String managed = delivery.managedCertificate("cm-" + unique(), "methods", List.of(base, "*." + base));
        Response provider = provider(Map.of("name", "cf-" + unique(), "type", "cloudflare", "apiToken", TOKEN));
        assertThat(provider.status()).as(provider.body()).isEqualTo(201);
        assertThat(provider.body()).doesNotContain(TOKEN);
        assertThat(provider.json().get("type").asString()).isEqualTo("cloudflare");
        int before = CLOUDFLARE.calls().size();

        JsonNode workflow = workflows.run(Map.of("issuerId", issuerId, "managedCertificateId", managed,
                "challenge", "dns-01", "dnsProviderId", provider.json().get("id").asString()));

        assertThat(workflow.at("/workflow/status").asString()).as(workflow.toString()).isEqualTo("succeeded");
        List<Call> calls = CLOUDFLARE.calls().subList(before, CLOUDFLARE.calls().size());
        String records = "/client/v4/zones/" + CLOUDFLARE.zoneId("cm.test") + "/dns_records";
        assertThat(calls).filteredOn(c -> c.method().equals("POST")).as("base name and wildcard").hasSize(2)
                .allSatisfy(c -> {
                    assertThat(c.path()).isEqualTo(records);
                    assertThat(c.authorization()).isEqualTo("Bearer " + TOKEN);
                    assertThat(JSON.readTree(c.body()).path("name").asString()).isEqualTo("_acme-challenge." + base);
                });
        assertThat(calls).filteredOn(c -> c.method().equals("DELETE")).hasSize(2)
                .allSatisfy(c -> assertThat(c.path()).startsWith(records + "/"))
                .allSatisfy(c -> assertThat(c.authorization()).isEqualTo("Bearer " + TOKEN));
        assertThat(detail(workflow, "records published")).contains(base + ": TXT _acme-challenge." + base
                + " published in Cloudflare zone cm.test as record ").contains("*." + base + ": TXT");
        assertThat(detail(workflow, "propagation confirmed")).contains("ns.test (127.0.0.1:" + BIND.port() + ") has it");
        assertThat(detail(workflow, "cleanup")).contains("TXT _acme-challenge." + base + " removed from Cloudflare zone"
                + " cm.test (record ");
        assertThat(CLOUDFLARE.records()).noneMatch(r -> r.name().endsWith(base));
        assertThat(BIND.txt("_acme-challenge." + base)).isEmpty();
    }

    @Test
    void aWrongCloudflareTokenFailsTheWorkflowWithCloudflaresMessage() {
        String name = "cf-wrong-" + unique() + ".cm.test";
        String managed = delivery.managedCertificate("cm-" + unique(), "methods", List.of(name));
        String wrong = "not-" + TOKEN;
        Response provider = provider(Map.of("name", "cf-" + unique(), "type", "cloudflare", "apiToken", wrong));
        int before = CLOUDFLARE.calls().size();

        JsonNode workflow = workflows.run(Map.of("issuerId", issuerId, "managedCertificateId", managed,
                "challenge", "dns-01", "dnsProviderId", provider.json().get("id").asString()));

        assertThat(workflow.at("/workflow/status").asString()).isEqualTo("failed");
        assertThat(workflow.at("/workflow/lastError").asString()).isEqualTo("publishing TXT _acme-challenge." + name
                + " failed: Cloudflare refused looking up zone _acme-challenge." + name + " (HTTP 403): Invalid access"
                + " token (code 9109)");
        assertThat(steps(workflow)).as("a refusal is not retried").containsExactly("created", "order created",
                "cleanup", "failed in ordered");
        assertThat(detail(workflow, "cleanup")).isEqualTo("nothing left to remove");
        List<Call> calls = CLOUDFLARE.calls().subList(before, CLOUDFLARE.calls().size());
        assertThat(calls).isNotEmpty().allSatisfy(c -> assertThat(c.authorization()).isEqualTo("Bearer " + wrong))
                .noneMatch(c -> c.method().equals("POST"));
    }

    @Test
    void dns01ThroughAnExecProvider() throws IOException {
        String name = "exec-" + unique() + ".cm.test";
        String managed = delivery.managedCertificate("cm-" + unique(), "methods", List.of(name));
        Path program = program("dns-hook-" + unique(), """
                # add|remove <fqdn> <value>: only logs the call; the test applies the log to BIND.
                echo "$1 $2 $3" >> '%s'
                echo "logged $1 $2"
                """.formatted(DNS_LOG));
        Response provider = provider(Map.of("name", "exec-" + unique(), "type", "exec", "program", program.toString()));
        assertThat(provider.json().get("program").asString()).isEqualTo(program.toString());

        JsonNode workflow = workflows.run(Map.of("issuerId", issuerId, "managedCertificateId", managed,
                "challenge", "dns-01", "dnsProviderId", provider.json().get("id").asString()));

        assertThat(workflow.at("/workflow/status").asString()).as(workflow.toString()).isEqualTo("succeeded");
        assertThat(detail(workflow, "records published")).isEqualTo(name + ": TXT _acme-challenge." + name
                + " published by " + program + " add");
        assertThat(detail(workflow, "cleanup")).isEqualTo("TXT _acme-challenge." + name + " removed by " + program
                + " remove");
        List<String> calls = Files.readAllLines(DNS_LOG).stream().filter(l -> l.contains(name)).toList();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).matches("add _acme-challenge\\." + Pattern.quote(name) + " [A-Za-z0-9_-]{43}");
        assertThat(calls.get(1)).isEqualTo(calls.get(0).replaceFirst("^add", "remove"));
        await().atMost(Duration.ofSeconds(5)).until(() -> BIND.txt("_acme-challenge." + name).isEmpty());
    }

    @Test
    void anExecProviderFailingPartWayIsUndoneRetriedAndShownWithItsExitCodeAndOutput() throws IOException {
        String first = "part-a-" + unique() + ".cm.test";
        String second = "part-b-" + unique() + ".cm.test";
        String managed = delivery.managedCertificate("cm-" + unique(), "methods", List.of(first, second));
        Path log = DIR.resolve("part-" + unique() + ".log");
        Path program = program("dns-quota-" + unique(), """
                # Accepts the first record it is asked to add and refuses every other: a provider failing part-way.
                echo "$1 $2" >> '%1$s'
                if [ "$1" = add ]; then
                  if [ -e '%1$s.added' ]; then
                    echo "connecting to the DNS API"
                    echo "error: quota of 1 record exceeded" >&2
                    exit 4
                  fi
                  touch '%1$s.added'
                fi
                """.formatted(log));
        Response provider = provider(Map.of("name", "exec-" + unique(), "type", "exec", "program", program.toString()));
        String id = workflows.start(Map.of("issuerId", issuerId, "managedCertificateId", managed, "dnsProviderId",
                provider.json().get("id").asString()));

        await().atMost(Duration.ofSeconds(30)).until(() -> steps(workflows.workflow(id)).contains("retry scheduled"));
        JsonNode waiting = workflows.workflow(id);
        List<String> calls = Files.readAllLines(log);
        assertThat(calls).hasSize(3);
        String added = calls.get(0).replaceFirst("^add ", "");
        assertThat(calls.get(2)).as("what was published is removed").isEqualTo("remove " + added);
        assertThat(detail(waiting, "cleanup")).isEqualTo("publishing stopped part-way; TXT " + added + " removed by "
                + program + " remove");
        assertThat(detail(waiting, "retry scheduled")).startsWith("publishing TXT ").contains(" failed: " + program
                + " add exited with 4; its last output: connecting to the DNS API | error: quota of 1 record exceeded;"
                + " next attempt at ");

        clock.advance(Duration.ofMinutes(1));
        JsonNode finished = workflows.awaitEnd(id);

        assertThat(finished.at("/workflow/status").asString()).isEqualTo("failed");
        assertThat(finished.at("/workflow/lastError").asString()).contains("exited with 4")
                .endsWith("(gave up after 2 attempts)");
        assertThat(steps(finished)).containsSubsequence("created", "order created", "cleanup", "retry scheduled",
                "cleanup", "failed in ordered");
    }

    @Test
    void http01ThroughAWebroot() {
        String name = host("webroot");
        String managed = delivery.managedCertificate("cm-" + unique(), "methods", List.of(name));

        JsonNode workflow = workflows.run(Map.of("issuerId", issuerId, "managedCertificateId", managed,
                "challenge", "http-01",
                "http01Method", Map.of("type", "webroot", "webroot", WEBROOT.toString())));

        assertThat(workflow.at("/workflow/status").asString()).as(workflow.toString()).isEqualTo("succeeded");
        assertThat(workflow.at("/workflow/identifiers/0/http01/type").asString()).isEqualTo("webroot");
        Matcher written = Pattern.compile(Pattern.quote(name + ": http-01 answer written to " + WEBROOT
                + "/.well-known/acme-challenge/") + "([A-Za-z0-9_-]+)").matcher(detail(workflow, "records published"));
        assertThat(written.matches()).as(detail(workflow, "records published")).isTrue();
        String token = written.group(1);
        assertThat(FILES.requests()).as("Pebble fetched the answer from the web server")
                .contains(name + " /.well-known/acme-challenge/" + token);
        assertThat(detail(workflow, "cleanup")).isEqualTo("http-01 answer " + WEBROOT + "/.well-known/acme-challenge/"
                + token + " deleted");
        assertThat(WEBROOT.resolve(".well-known/acme-challenge/" + token)).doesNotExist();
    }

    @Test
    void http01ThroughAnExecProgram() throws IOException {
        String name = host("exec-http");
        String managed = delivery.managedCertificate("cm-" + unique(), "methods", List.of(name));
        Path program = program("http-hook-" + unique(), """
                # add|remove <token> <keyAuthorization> <domain>: a deploy hook copying the answer to the web server.
                dir='%s/.well-known/acme-challenge'
                case "$1" in
                  add) mkdir -p "$dir" && printf '%%s' "$3" > "$dir/$2" ;;
                  remove) rm -f "$dir/$2" ;;
                  *) echo "unknown command $1"; exit 2 ;;
                esac
                echo "$1 $2 $3 $4" >> '%s'
                """.formatted(WEBROOT, HTTP_LOG));

        JsonNode workflow = workflows.run(Map.of("issuerId", issuerId, "managedCertificateId", managed,
                "challenge", "http-01",
                "http01Method", Map.of("type", "exec", "program", program.toString())));

        assertThat(workflow.at("/workflow/status").asString()).as(workflow.toString()).isEqualTo("succeeded");
        List<String> calls = Files.readAllLines(HTTP_LOG).stream().filter(l -> l.endsWith(" " + name)).toList();
        assertThat(calls).hasSize(2);
        String[] add = calls.get(0).split(" ");
        assertThat(add[0]).isEqualTo("add");
        assertThat(add[2]).as("the key authorization").startsWith(add[1] + ".");
        assertThat(calls.get(1)).isEqualTo("remove " + add[1] + " " + add[2] + " " + name);
        assertThat(detail(workflow, "records published")).isEqualTo(name + ": http-01 answer published by " + program
                + " add " + add[1]);
        assertThat(detail(workflow, "cleanup")).isEqualTo("http-01 answer for " + name + " removed by " + program
                + " remove");
        assertThat(FILES.requests()).contains(name + " /.well-known/acme-challenge/" + add[1]);
        assertThat(WEBROOT.resolve(".well-known/acme-challenge/" + add[1])).doesNotExist();
    }

    @Test
    void providersAndMethodsAreCheckedWithPreciseMessages() throws IOException {
        Path notExecutable = Files.writeString(PROGRAMS.resolve("plain-" + unique()), "#!/bin/sh\n");
        assertThat(problem("/api/acme/dns-providers", Map.of("name", "x-" + unique(), "type", "route53")))
                .isEqualTo("type 'route53' is not one of [rfc2136, cloudflare, exec]");
        assertThat(problem("/api/acme/dns-providers", Map.of("name", "x-" + unique(), "type", "cloudflare")))
                .isEqualTo("cloudflare providers need apiToken: an API token allowed to edit the zone's DNS");
        assertThat(problem("/api/acme/dns-providers", Map.of("name", "x-" + unique(), "type", "cloudflare",
                "apiToken", "two words"))).isEqualTo("apiToken is not an API token: it has characters a bearer token"
                        + " cannot have (RFC 6750 2.1)");
        assertThat(problem("/api/acme/dns-providers", Map.of("name", "x-" + unique(), "type", "cloudflare",
                "apiToken", TOKEN, "zoneId", "cm.test"))).isEqualTo("zoneId 'cm.test' is not a Cloudflare zone id: 32"
                        + " hexadecimal digits, as the zone's overview page shows");
        assertThat(problem("/api/acme/dns-providers", Map.of("name", "x-" + unique(), "type", "cloudflare",
                "apiToken", TOKEN, "tsigSecret", "c2VjcmV0c2VjcmV0c2VjcmV0"))).isEqualTo("tsigSecret is not used by"
                        + " cloudflare providers; they take [apiToken, zoneId]");
        assertThat(problem("/api/acme/dns-providers", Map.of("name", "x-" + unique(), "type", "rfc2136",
                "tsigKeyName", "k", "tsigSecret", "c2VjcmV0c2VjcmV0c2VjcmV0"))).isEqualTo("rfc2136 providers need"
                        + " server: host:port of the primary server, such as 10.0.0.53:53");
        assertThat(problem("/api/acme/dns-providers", Map.of("name", "x-" + unique(), "type", "exec")))
                .startsWith("exec providers need program: the absolute path");
        assertThat(problem("/api/acme/dns-providers", Map.of("name", "x-" + unique(), "type", "exec",
                "program", "/bin/sh"))).isEqualTo("program '/bin/sh' is not inside"
                        + " certplane.acme.client.exec-directories [" + PROGRAMS + "]");
        assertThat(problem("/api/acme/dns-providers", Map.of("name", "x-" + unique(), "type", "exec",
                "program", notExecutable.toString()))).isEqualTo("program '" + notExecutable + "' is not executable by"
                        + " the Certplane process");

        String name = host("checked");
        String managed = delivery.managedCertificate("cm-" + unique(), "methods", List.of(name));
        Map<String, Object> http01 = Map.of("issuerId", issuerId, "managedCertificateId", managed, "challenge", "http-01");
        assertThat(problem("/api/acme/workflows", http01)).isEqualTo("http-01 through the built-in responder needs"
                + " certplane.acme.client.http01-port; or choose http01Method webroot or exec");
        assertThat(problem("/api/acme/workflows", with(http01, Map.of("type", "ftp")))).isEqualTo("http01Method.type"
                + " 'ftp' is not one of [responder, webroot, exec]");
        assertThat(problem("/api/acme/workflows", with(http01, Map.of("type", "")))).isEqualTo("http01Method.type: must"
                + " not be blank");
        assertThat(problem("/api/acme/workflows", with(http01, Map.of("type", "webroot"))))
                .startsWith("http01Method webroot needs webroot: the web server's document root");
        assertThat(problem("/api/acme/workflows", with(http01, Map.of("type", "webroot", "webroot", DIR
                .resolve("nowhere").toString())))).isEqualTo("http01Method.webroot '" + DIR.resolve("nowhere")
                        + "' is not a directory on this server");
        assertThat(problem("/api/acme/workflows", with(http01, Map.of("type", "webroot", "webroot", WEBROOT.toString(),
                "program", "/bin/true")))).isEqualTo("http01Method.program is only for type exec, not webroot");
        assertThat(problem("/api/acme/workflows", with(http01, Map.of("type", "exec", "program", "/bin/true"))))
                .isEqualTo("http01Method.program '/bin/true' is not inside certplane.acme.client.exec-directories ["
                        + PROGRAMS + "]");
        assertThat(problem("/api/acme/workflows", Map.of("issuerId", issuerId, "managedCertificateId", managed,
                "challenge", "dns-01", "dnsProviderId", "none", "http01Method", Map.of("type", "webroot"))))
                .isEqualTo("http01Method is given, but no identifier uses http-01");
    }

    private Response provider(Map<String, Object> body) {
        return api.send("POST", "/api/acme/dns-providers", JSON.writeValueAsString(body), ADMIN);
    }

    private String problem(String path, Map<String, Object> body) {
        Response response = api.send("POST", path, JSON.writeValueAsString(body), ADMIN);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return response.json().get("detail").asString();
    }

    private static Map<String, Object> with(Map<String, Object> body, Map<String, Object> http01Method) {
        Map<String, Object> copy = new java.util.HashMap<>(body);
        copy.put("http01Method", http01Method);
        return copy;
    }

    private static String host(String label) {
        String name = label + "-" + unique() + ".cm.test";
        BIND.add(name, "A", "127.0.0.1");
        return name;
    }

    private static Path program(String name, String body) throws IOException {
        Path program = PROGRAMS.resolve(name);
        Files.writeString(program, "#!/bin/sh\n" + body, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        return program;
    }

    /** Applies the exec provider's logged calls to BIND, as a real provider's API would publish them. */
    private static void mirrorExecCallsIntoBind() {
        int applied = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<String> lines = Files.exists(DNS_LOG) ? Files.readAllLines(DNS_LOG) : List.of();
                for (String line : lines.subList(applied, lines.size())) {
                    String[] call = line.split(" ");
                    if (call[0].equals("add")) {
                        BIND.add(call[1], "TXT", "\"" + call[2] + "\"");
                    } else {
                        BIND.remove(call[1], "TXT", "\"" + call[2] + "\"");
                    }
                }
                applied = lines.size();
                Thread.sleep(100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("certplane-methods").toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory(Path path) {
        try {
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A plain HTTP server for a directory, as a web server serves a webroot; it keeps "host path" of each request. */
    static final class FileServer implements AutoCloseable {

        private final HttpServer server;
        private final List<String> requests = new CopyOnWriteArrayList<>();

        FileServer(Path root) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                requests.add(exchange.getRequestHeaders().getFirst("Host").replaceFirst(":\\d+$", "") + " " + path);
                Path file = root.resolve(path.substring(1)).normalize();
                byte[] body = file.startsWith(root) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
                exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                if (body != null) {
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<String> requests() {
            return new ArrayList<>(requests);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
