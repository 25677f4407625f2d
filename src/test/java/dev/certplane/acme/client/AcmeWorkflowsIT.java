package dev.certplane.acme.client;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.certplane.support.AcmeWorkflowApi.detail;
import static dev.certplane.support.AcmeWorkflowApi.steps;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.AcmeClients;
import dev.certplane.support.AcmeWorkflowApi;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.Bind9;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.DeliveryApi;
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
 * Workflows against a real CA: Pebble validates through a real BIND 9 (its only resolver) and reaches the
 * built-in HTTP-01 responder on loopback; dns-01 records go into BIND by RFC 2136 with a TSIG key. Each
 * workflow's timeline, its result (the managed certificate's new version) and its cleanup are checked.
 */
@CertplaneIT
@TestPropertySource(properties = {
        "certplane.acme.profiles.upstream.allowed-domains=.wf.test",
        "certplane.acme.client.poll-interval=200ms",
        "certplane.acme.client.run-interval=500ms"})
class AcmeWorkflowsIT {

    static final String ADMIN = ApiClient.basic("admin", IntegrationTestConfig.ADMIN_PASSWORD);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Bind9 BIND = Bind9.shared();
    static final int RESPONDER_PORT = AcmeClients.freeLoopbackPort();

    static Pebble pebble;

    @DynamicPropertySource
    static void network(DynamicPropertyRegistry registry) {
        registry.add("certplane.acme.client.http01-port", () -> RESPONDER_PORT);
        BIND.serveAcmeClient(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    MutableClock clock;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    ApiClient api;
    DeliveryApi delivery;
    AcmeWorkflowApi workflows;
    String issuerId;
    String dnsProviderId;

    @BeforeAll
    static void startPebble() {
        pebble = Pebble.start(Map.of(), BIND.address(), RESPONDER_PORT, AcmeClients.freeLoopbackPort());
    }

    @AfterAll
    static void stopPebble() {
        pebble.close();
    }

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, certplane.caBundleFile());
        delivery = new DeliveryApi(api);
        workflows = new AcmeWorkflowApi(api);
        issuerId = workflows.registeredIssuer("pebble-" + unique(), pebble);
        Response provider = api.send("POST", "/api/acme/dns-providers", JSON.writeValueAsString(Map.of("name",
                "bind-" + unique(), "type", "rfc2136", "server", BIND.address(), "tsigKeyName", Bind9.TSIG_KEY,
                "tsigAlgorithm", Bind9.TSIG_ALGORITHM, "tsigSecret", BIND.tsigSecret())), ADMIN);
        assertThat(provider.status()).as(provider.body()).isEqualTo(201);
        assertThat(provider.body()).doesNotContain(BIND.tsigSecret());
        dnsProviderId = provider.json().get("id").asString();
    }

    @Test
    void dns01ThroughRfc2136IncludingAWildcardBecomesTheNextVersion() {
        String base = "dns-" + unique() + ".wf.test";
        String managed = delivery.managedCertificate("wf-" + unique(), "upstream", List.of(base, "*." + base));

        JsonNode workflow = workflows.run(Map.of("issuerId", issuerId, "managedCertificateId", managed, "challenge", "dns-01",
                "dnsProviderId", dnsProviderId));

        assertThat(workflow.at("/workflow/status").asString()).as(workflow.toString()).isEqualTo("succeeded");
        assertThat(workflow.at("/workflow/version").asInt()).isEqualTo(1);
        assertThat(steps(workflow)).containsSubsequence("created", "order created", "records published",
                "propagation confirmed", "challenges triggered", "validated", "finalized", "downloaded", "cleanup",
                "cleaned up");
        assertThat(detail(workflow, "propagation confirmed")).contains("_acme-challenge." + base)
                .contains("ns.test (127.0.0.1:" + BIND.port() + ") has it");
        assertThat(BIND.txt("_acme-challenge." + base)).as("the records are removed").isEmpty();
        JsonNode version = api.get("/api/managed-certificates/" + managed + "/versions", ADMIN).json();
        assertThat(version.toString()).contains("acme-workflow:" + workflow.at("/workflow/id").asString());
    }

    @Test
    void http01ThroughTheBuiltInResponder() {
        String name = host("http");
        String managed = delivery.managedCertificate("wf-" + unique(), "upstream", List.of(name));

        JsonNode workflow = workflows.run(Map.of("issuerId", issuerId, "managedCertificateId", managed, "challenge", "http-01"));

        assertThat(workflow.at("/workflow/status").asString()).as(workflow.toString()).isEqualTo("succeeded");
        assertThat(detail(workflow, "records published")).contains(name + ": http-01 answer served at"
                + " /.well-known/acme-challenge/");
        assertThat(detail(workflow, "propagation confirmed")).isEqualTo("no DNS records to wait for");
    }

    @Test
    void mixedChallengesInOneOrder() {
        String viaHttp = host("mixed-http");
        String viaDns = "mixed-dns-" + unique() + ".wf.test";
        String managed = delivery.managedCertificate("wf-" + unique(), "upstream", List.of(viaHttp, viaDns));

        JsonNode workflow = workflows.run(Map.of("issuerId", issuerId, "managedCertificateId", managed,
                "challenges", Map.of(viaHttp, "http-01", viaDns, "dns-01"), "dnsProviderId", dnsProviderId));

        assertThat(workflow.at("/workflow/status").asString()).as(workflow.toString()).isEqualTo("succeeded");
        assertThat(detail(workflow, "records published")).contains(viaHttp + ": http-01 answer served")
                .contains(viaDns + ": TXT _acme-challenge." + viaDns + " published");
    }

    @Test
    void renewalsAtACaWithRenewalInformationSendReplacesAndCopeWhenItIsRefused() throws Exception {
        // Certplane's own ACME server offers ARI (Pebble 2.4 does not), so it serves as the external CA here.
        Response ownCa = api.send("POST", "/api/acme/issuers", JSON.writeValueAsString(Map.of("name", "self-" + unique(),
                "preset", "custom", "directoryUrl", "https://localhost:" + port + "/acme/upstream/directory",
                "trustBundlePem", java.nio.file.Files.readString(certplane.caBundleFile()))), ADMIN);
        assertThat(ownCa.json().get("status").asString()).as(ownCa.body()).isEqualTo("registered");
        String self = ownCa.json().get("id").asString();
        String managed = delivery.managedCertificate("wf-" + unique(), "upstream", List.of(host("ari")));

        JsonNode first = workflows.run(Map.of("issuerId", self, "managedCertificateId", managed, "challenge", "http-01"));
        String firstId = first.at("/workflow/certificateId").asString();
        assertThat(first.at("/workflow/status").asString()).as(first.toString()).isEqualTo("succeeded");
        assertThat(firstId).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(first.at("/workflow/renewalWindowStart").asString()).isNotEmpty();
        assertThat(detail(first, "downloaded")).contains("suggested renewal window");

        JsonNode second = workflows.run(Map.of("issuerId", self, "managedCertificateId", managed, "challenge", "http-01"));
        assertThat(second.at("/workflow/replaces").asString()).isEqualTo(firstId);
        assertThat(detail(second, "order created")).contains("replacing " + firstId);
        assertThat(second.at("/workflow/version").asInt()).isEqualTo(2);

        // The CA refuses to replace a certificate twice (RFC 9773 alreadyReplaced): the renewal goes on without it.
        jdbc.sql("update acme_client_workflows set ari_certificate_id = :first where id = :second")
                .param("first", firstId).param("second", second.at("/workflow/id").asString()).update();
        JsonNode third = workflows.run(Map.of("issuerId", self, "managedCertificateId", managed, "challenge", "http-01"));
        assertThat(third.at("/workflow/status").asString()).as(third.toString()).isEqualTo("succeeded");
        assertThat(detail(third, "replaces refused")).contains("the CA refused replaces " + firstId)
                .contains("alreadyReplaced").endsWith("; ordering without it");
    }

    @Test
    void anAcmeProfileTheCaDoesNotOfferEndsTheWorkflowSayingSo() throws Exception {
        // Certplane's own ACME server advertises profiles (Pebble 2.4 does not): each directory offers only its own.
        Response issuer = api.send("POST", "/api/acme/issuers", JSON.writeValueAsString(Map.of("name",
                "profiled-" + unique(), "preset", "custom", "directoryUrl",
                "https://localhost:" + port + "/acme/upstream/directory", "acmeProfile", "tls-server",
                "trustBundlePem", java.nio.file.Files.readString(certplane.caBundleFile()))), ADMIN);
        String managed = delivery.managedCertificate("wf-" + unique(), "upstream", List.of(host("profiled")));

        JsonNode workflow = workflows.run(Map.of("issuerId", issuer.json().get("id").asString(),
                "managedCertificateId", managed, "challenge", "http-01"));

        assertThat(workflow.at("/workflow/status").asString()).isEqualTo("failed");
        assertThat(workflow.at("/workflow/lastError").asString()).isEqualTo("the CA does not support what the issuer"
                + " asks for: Server does not support profile: tls-server");
        assertThat(steps(workflow)).doesNotContain("retry scheduled");
    }

    @Test
    void thePreferredChainIsChosenAmongTheChainsTheCaOffers() {
        try (Pebble alternates = Pebble.start(Map.of(), BIND.address(), RESPONDER_PORT, AcmeClients.freeLoopbackPort(),
                Map.of("PEBBLE_ALTERNATE_ROOTS", "1"))) {
            String alternate = alternates.intermediate(1).getSubjectX500Principal().getName();
            String commonName = alternate.substring(alternate.indexOf("CN=") + 3).split(",")[0];
            Response issuer = api.send("POST", "/api/acme/issuers", JSON.writeValueAsString(Map.of("name",
                    "chains-" + unique(), "preset", "custom", "directoryUrl", alternates.directoryUrl(),
                    "trustBundlePem", alternates.trustBundlePem(), "preferredChain", commonName)), ADMIN);
            String managed = delivery.managedCertificate("wf-" + unique(), "upstream", List.of(host("chain")));

            JsonNode workflow = workflows.run(Map.of("issuerId", issuer.json().get("id").asString(), "managedCertificateId",
                    managed, "challenge", "http-01"));

            assertThat(workflow.at("/workflow/status").asString()).as(workflow.toString()).isEqualTo("succeeded");
            assertThat(detail(workflow, "downloaded")).contains("issued by " + alternate)
                    .contains("; chain through " + commonName);
        }
    }

    @Test
    void aFailingChallengeShowsTheCasErrorOnTheTimelineAndCleansUp() {
        String name = "nowhere-" + unique() + ".wf.test"; // no A record: Pebble cannot reach it
        String managed = delivery.managedCertificate("wf-" + unique(), "upstream", List.of(name));

        JsonNode workflow = workflows.run(Map.of("issuerId", issuerId, "managedCertificateId", managed, "challenge", "http-01"));

        assertThat(workflow.at("/workflow/status").asString()).isEqualTo("failed");
        assertThat(workflow.at("/workflow/lastError").asString()).startsWith("the CA found " + name + " invalid: ")
                .contains("urn:ietf:params:acme:error:");
        assertThat(steps(workflow)).endsWith("failed in triggered");
        assertThat(workflow.at("/workflow/message").asString()).isEqualTo(workflow.at("/workflow/lastError").asString());
    }

    @Test
    void aCaThatIsDownIsRetriedWithBackoffAndTheWorkflowResumesWhereItStopped() throws Exception {
        String name = host("resume");
        String managed = delivery.managedCertificate("wf-" + unique(), "upstream", List.of(name));
        int proxyPort = AcmeClients.freeLoopbackPort();
        String directory = pebble.directoryUrl().replace(":" + URI.create(pebble.directoryUrl()).getPort() + "/",
                ":" + proxyPort + "/");
        String flaky;
        try (var up = new Forwarder(proxyPort, URI.create(pebble.directoryUrl()).getPort())) {
            Response issuer = api.send("POST", "/api/acme/issuers", JSON.writeValueAsString(Map.of("name",
                    "flaky-" + unique(), "preset", "custom", "directoryUrl", directory,
                    "trustBundlePem", pebble.trustBundlePem())), ADMIN);
            assertThat(issuer.json().get("status").asString()).as(issuer.body()).isEqualTo("registered");
            flaky = issuer.json().get("id").asString();
        }

        Response started = api.send("POST", "/api/acme/workflows", JSON.writeValueAsString(Map.of("issuerId", flaky,
                "managedCertificateId", managed, "challenge", "http-01")), ADMIN);
        String id = started.json().get("id").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> steps(workflows.workflow(id)).contains("retry scheduled"));
        JsonNode waiting = workflows.workflow(id);
        assertThat(waiting.at("/workflow/status").asString()).isEqualTo("running");
        assertThat(waiting.at("/workflow/state").asString()).isEqualTo("new");
        assertThat(detail(waiting, "retry scheduled")).startsWith("the CA could not be reached: ").contains("next attempt at");

        // As a replica leaves it when it stops in the middle of a step: the workflow is held until its lease runs out.
        jdbc.sql("update acme_client_workflows set lease_until = :until where id = :id")
                .param("until", java.sql.Timestamp.from(clock.instant().plus(Duration.ofMinutes(10)))).param("id", id)
                .update();
        try (var up = new Forwarder(proxyPort, URI.create(pebble.directoryUrl()).getPort())) {
            clock.advance(Duration.ofMinutes(1));
            Thread.sleep(2000);
            assertThat(workflows.workflow(id).at("/workflow/state").asString()).as("held by the stopped replica").isEqualTo("new");
            clock.advance(Duration.ofMinutes(15));
            JsonNode finished = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> workflows.workflow(id), w -> !w.at("/workflow/status").asString().equals("running"));
            assertThat(finished.at("/workflow/status").asString()).as(finished.toString()).isEqualTo("succeeded");
            assertThat(steps(finished)).containsSubsequence("created", "retry scheduled", "order created", "downloaded",
                    "cleaned up");
        }
    }

    /** A TCP relay to another loopback port, to take a CA off the network and bring it back. */
    static final class Forwarder implements AutoCloseable {

        private final ServerSocket server;
        private final List<Socket> open = new java.util.concurrent.CopyOnWriteArrayList<>();

        Forwarder(int port, int target) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress("127.0.0.1", port));
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket upstream = new Socket("127.0.0.1", target);
                        open.add(client);
                        open.add(upstream);
                        pipe(client, upstream);
                        pipe(upstream, client);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        private static void pipe(Socket from, Socket to) {
            Thread thread = new Thread(() -> {
                try {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException e) {
                    // the other side closed
                } finally {
                    try {
                        to.shutdownOutput();
                    } catch (IOException e) {
                        // already closed
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    private static String host(String label) {
        return BIND.loopbackName(label, "wf.test");
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
