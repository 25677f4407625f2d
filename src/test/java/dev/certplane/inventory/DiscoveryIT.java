package dev.certplane.inventory;

import static dev.certplane.support.ApiClient.basic;
import static dev.certplane.support.DeliveryApi.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.certplane.inventory.LoopbackTlsServer.Served;
import dev.certplane.pki.Certificates;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.MutableClock;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discovery against real JDK TLS servers on loopback: targets made through the API, runs claimed by the
 * {@code inventory-discovery} task, and what they found checked through {@code /api/certificates}: metadata,
 * status, rating, chain links, endpoints, and staleness when a server changes its certificate.
 */
@CertplaneIT
@TestPropertySource(properties = "certplane.inventory.discovery.poll-interval=1s")
class DiscoveryIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestPki pki;
    private static Served good;
    private static Served expired;
    private static final List<LoopbackTlsServer> SERVERS = new ArrayList<>();
    private static LoopbackTlsServer goodServer;
    private static LoopbackTlsServer expiredServer;
    private static LoopbackTlsServer sniServer;

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    MutableClock clock;

    @Autowired
    Inventory inventory;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;
    DeliveryApi admin;

    @BeforeEach
    void setUp() throws Exception {
        api = new ApiClient(port, certplane.caBundleFile());
        admin = new DeliveryApi(api);
        if (pki == null) {
            Instant now = clock.instant();
            pki = new TestPki(now);
            good = pki.leaf("shared.discovery.test", pki.intermediate, now.minusSeconds(3600), days(now, 60), true);
            expired = pki.leaf("shared-expired.discovery.test", pki.intermediate, days(now, -90), days(now, -1), true);
            goodServer = server(good);
            expiredServer = server(expired);
            sniServer = server(pki.leaf("default.sni.test", pki.intermediate, now.minusSeconds(3600), days(now, 60),
                    true));
            sniServer.serve("a.sni.test", pki.leaf("a.sni.test", pki.intermediate, now.minusSeconds(3600),
                    days(now, 60), true));
            sniServer.serve("b.sni.test", pki.leaf("b.sni.test", pki.intermediate, now.minusSeconds(3600),
                    days(now, 60), true));
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (LoopbackTlsServer server : SERVERS) {
            server.close();
        }
    }

    @Test
    void aRunRecordsWhatEachEndpointServesWithMetadataStatusRatingChainAndEndpoint() throws Exception {
        Instant now = clock.instant();
        Served good = pki.leaf("good.discovery.test", pki.intermediate, now.minusSeconds(3600), days(now, 60), true);
        Served incomplete = pki.leaf("incomplete.discovery.test", pki.hidden, now.minusSeconds(3600), days(now, 60),
                false);
        Served expired = pki.leaf("expired.discovery.test", pki.intermediate, days(now, -90), days(now, -1), true);
        LoopbackTlsServer goodServer = server(good);
        int closed = closedPort();
        String target = createTarget(Map.of("name", "loopback servers", "endpoints", List.of(
                "127.0.0.1:" + goodServer.port(), "127.0.0.1:" + server(incomplete).port(),
                "127.0.0.1:" + server(expired).port(), "127.0.0.1:" + closed)));
        boolean intermediateKnown = inventory.findByFingerprint(
                Certificates.sha256Fingerprint(pki.intermediate.certificate())).isPresent();
        JsonNode run = runAndWait(target);
        assertThat(run.get("endpointsScanned").asInt()).isEqualTo(4);
        assertThat(run.get("handshakesOk").asInt()).isEqualTo(3);
        // the three leaves and the intermediate, which two of the servers send
        assertThat(run.get("certificatesSeen").asInt()).isEqualTo(4);
        assertThat(run.get("certificatesAdded").asInt()).isEqualTo(intermediateKnown ? 3 : 4);
        assertThat(run.get("endpointsStale").asInt()).isZero();
        assertThat(run.get("error").asString()).startsWith("1 of 4 endpoints did not answer: 127.0.0.1:" + closed);

        JsonNode goodDetail = detail(good);
        JsonNode certificate = goodDetail.get("certificate");
        assertThat(certificate.get("subject").asString()).isEqualTo("CN=good.discovery.test,O=Certplane Tests");
        assertThat(strings(certificate.get("names"))).containsExactly("good.discovery.test", "127.0.0.1");
        assertThat(certificate.get("issuerCommonName").asString()).isEqualTo("Discovery Test Intermediate");
        assertThat(certificate.get("source").asString()).isEqualTo("discovered");
        assertThat(certificate.get("rating").asString()).isEqualTo("A");
        assertThat(certificate.get("stale").asBoolean()).isFalse();
        JsonNode chain = goodDetail.get("chain");
        assertThat(chain.size()).isEqualTo(2);
        assertThat(chain.get(1).get("subjectCommonName").asString()).isEqualTo("Discovery Test Intermediate");
        assertThat(chain.get(1).get("fingerprintSha256").asString())
                .isEqualTo(Certificates.sha256Fingerprint(pki.intermediate.certificate()));
        assertThat(certificate.get("issuerCertificateId").asString()).isEqualTo(chain.get(1).get("id").asString());
        assertThat(strings(goodDetail.get("sources"))).containsExactly("discovery:" + target);
        JsonNode endpoint = endpointOf(goodDetail, "discovery:" + target);
        assertThat(endpoint.get("host").asString()).isEqualTo("127.0.0.1");
        assertThat(endpoint.get("port").asInt()).isEqualTo(goodServer.port());
        assertThat(endpoint.get("sni").asString()).isEmpty();
        assertThat(endpoint.has("staleSince")).isFalse();

        JsonNode expiredSummary = summary("expired.discovery.test");
        assertThat(expiredSummary.get("status").asString()).isEqualTo("expired");
        assertThat(expiredSummary.get("rating").asString()).isEqualTo("F");
        assertThat(strings(detail(expired).get("certificate").get("ratingReasons"))).anyMatch(r -> r.startsWith("expired on"));

        JsonNode incompleteCertificate = detail(incomplete).get("certificate");
        assertThat(incompleteCertificate.get("rating").asString()).isEqualTo("B");
        assertThat(strings(incompleteCertificate.get("ratingReasons")))
                .anyMatch(r -> r.startsWith("incomplete chain") && r.contains("Discovery Hidden Intermediate"));
        assertThat(incompleteCertificate.has("issuerCertificateId")).isFalse();
        assertThat(detail(incomplete).get("chainComplete").asBoolean()).isFalse();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<JsonNode> events = admin.audit("scan.completed", target);
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("outcome").asString()).isEqualTo("SUCCESS");
            assertThat(events.get(0).get("details").get("handshakesOk").asString()).isEqualTo("3");
            assertThat(admin.audit("scan-target.created", target)).hasSize(1);
        });

        JsonNode again = runAndWait(target);
        assertThat(again.get("certificatesSeen").asInt()).isEqualTo(4);
        assertThat(again.get("certificatesAdded").asInt()).isZero();
        assertThat(again.get("endpointsStale").asInt()).isZero();
    }

    @Test
    void aCertificateNoLongerServedIsStaleUnlessAnotherSourceStillListsIt() throws Exception {
        Instant now = clock.instant();
        Served first = pki.leaf("swap-1.discovery.test", pki.intermediate, now.minusSeconds(60), days(now, 30), true);
        Served alsoImported = pki.leaf("kept.discovery.test", pki.intermediate, now.minusSeconds(60), days(now, 30), true);
        inventory.record(alsoImported.chain(), "imported", "import:test", null);
        LoopbackTlsServer swapping = server(first);
        LoopbackTlsServer keeping = server(alsoImported);
        String target = createTarget(Map.of("name", "swapping", "endpoints", List.of("127.0.0.1:" + swapping.port(),
                "127.0.0.1:" + keeping.port())));
        String source = "discovery:" + target;
        assertThat(runAndWait(target).get("handshakesOk").asInt()).isEqualTo(2);
        assertThat(strings(detail(alsoImported).get("sources"))).containsExactly(source, "import:test");

        Served second = pki.leaf("swap-2.discovery.test", pki.intermediate, now.minusSeconds(60), days(now, 30), true);
        swapping.serve(second);
        keeping.close();
        JsonNode rerun = runAndWait(target);
        assertThat(rerun.get("handshakesOk").asInt()).isEqualTo(1);
        assertThat(rerun.get("endpointsStale").asInt()).isEqualTo(2);

        JsonNode old = detail(first);
        assertThat(old.get("certificate").get("stale").asBoolean()).isTrue();
        assertThat(strings(old.get("sources"))).isEmpty();
        assertThat(endpointOf(old, source).has("staleSince")).isTrue();
        assertThat(summary("swap-1.discovery.test").get("stale").asBoolean()).isTrue();

        JsonNode replacement = detail(second);
        assertThat(replacement.get("certificate").get("stale").asBoolean()).isFalse();
        assertThat(strings(replacement.get("sources"))).containsExactly(source);
        assertThat(endpointOf(replacement, source).get("port").asInt()).isEqualTo(swapping.port());
        assertThat(endpointOf(replacement, source).has("staleSince")).isFalse();

        JsonNode kept = detail(alsoImported);
        assertThat(kept.get("certificate").get("stale").asBoolean()).isFalse();
        assertThat(strings(kept.get("sources"))).containsExactly("import:test");
        assertThat(endpointOf(kept, source).has("staleSince")).isTrue();
        // The intermediate is still served with the new leaf, so the source keeps it.
        assertThat(strings(detail(pki.intermediate.certificate()).get("sources"))).contains(source);

        swapping.serve(first);
        runAndWait(target);
        JsonNode back = detail(first);
        assertThat(back.get("certificate").get("stale").asBoolean()).isFalse();
        assertThat(strings(back.get("sources"))).containsExactly(source);
        assertThat(endpointOf(back, source).has("staleSince")).isFalse();
        assertThat(detail(second).get("certificate").get("stale").asBoolean()).isTrue();
    }

    @Test
    void theServerNameSentSelectsTheCertificate() {
        String withA = createTarget(Map.of("name", "sni a", "endpoints", List.of("127.0.0.1:" + sniServer.port()),
                "sni", "A.sni.test"));
        String withB = createTarget(Map.of("name", "sni b", "endpoints", List.of("127.0.0.1:" + sniServer.port()),
                "sni", "b.sni.test"));
        String without = createTarget(Map.of("name", "sni none", "endpoints", List.of("127.0.0.1:" + sniServer.port())));
        runAndWait(withA);
        runAndWait(withB);
        runAndWait(without);
        assertThat(endpointOf(detailByName("a.sni.test"), "discovery:" + withA).get("sni").asString())
                .isEqualTo("a.sni.test");
        assertThat(endpointOf(detailByName("b.sni.test"), "discovery:" + withB).get("sni").asString())
                .isEqualTo("b.sni.test");
        assertThat(endpointOf(detailByName("default.sni.test"), "discovery:" + without).get("sni").asString())
                .isEmpty();
        assertThat(strings(detailByName("a.sni.test").get("sources"))).containsExactly("discovery:" + withA);
    }

    @Test
    void aCidrTargetFindsTheServersInItsRange() {
        String target = createTarget(Map.of("name", "loopback /30", "cidr", "127.0.0.0/30", "ports",
                List.of(goodServer.port(), expiredServer.port())));
        JsonNode created = admin.get("/api/scan-targets/" + target);
        assertThat(created.get("cidr").asString()).isEqualTo("127.0.0.0/30");
        assertThat(created.has("nextRunAt")).isFalse();
        JsonNode run = runAndWait(target);
        // 127.0.0.1 and 127.0.0.2 (the network and broadcast addresses are left out), two ports each
        assertThat(run.get("endpointsScanned").asInt()).isEqualTo(4);
        assertThat(run.get("handshakesOk").asInt()).isEqualTo(2);
        assertThat(endpointOf(detail(good), "discovery:" + target).get("port").asInt()).isEqualTo(goodServer.port());
        assertThat(endpointOf(detail(expired), "discovery:" + target).get("host").asString()).isEqualTo("127.0.0.1");
    }

    @Test
    void scheduledTargetsRunOnTheirIntervalAndInterruptedRunsFail() {
        String target = createTarget(Map.of("name", "hourly", "endpoints", List.of("127.0.0.1:" + goodServer.port()),
                "intervalSeconds", 3600));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(runs(target)).singleElement()
                .satisfies(r -> assertThat(r.get("state").asString()).isEqualTo("completed")));
        assertThat(Instant.parse(admin.get("/api/scan-targets/" + target).get("nextRunAt").asString()))
                .isEqualTo(clock.instant().plusSeconds(3600));

        clock.advance(Duration.ofSeconds(3601));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<JsonNode> runs = runs(target);
            assertThat(runs).hasSize(2);
            assertThat(runs.get(0).get("state").asString()).isEqualTo("completed");
        });

        // A process that stopped mid-run leaves its run running; the poll fails it after ten minutes.
        String manual = createTarget(Map.of("name", "crashed", "endpoints", List.of("127.0.0.1:" + goodServer.port())));
        jdbc.sql("""
                insert into inv_scan_runs (id, target_id, state, queued_at, started_at, endpoints_scanned, handshakes_ok,
                    certificates_seen, certificates_added, endpoints_stale)
                values ('stuck-run', :target, 'running', :started, :started, 0, 0, 0, 0, 0)
                """).param("target", manual)
                .param("started", java.sql.Timestamp.from(clock.instant().minus(Duration.ofMinutes(11)))).update();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode stuck = runs(manual).get(0);
            assertThat(stuck.get("state").asString()).isEqualTo("failed");
            assertThat(stuck.get("error").asString()).startsWith("interrupted");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin.audit("scan.completed", manual))
                .singleElement().satisfies(e -> assertThat(e.get("outcome").asString()).isEqualTo("FAILURE")));
    }

    @Test
    void targetsAreValidatedWithPreciseProblems() {
        assertThat(problem("POST", Map.of("name", "t", "cidr", "10.0.0.0/8", "ports", List.of(443)), 400))
                .isEqualTo("cidr '10.0.0.0/8' covers 16777216 addresses; a target scans at most 4096, so /20 or narrower"
                        + " for IPv4");
        assertThat(problem("POST", Map.of("name", "t", "cidr", "2001:db8::/64", "ports", List.of(443)), 400))
                .contains("/116 or narrower for IPv6");
        assertThat(problem("POST", Map.of("name", "t", "cidr", "10.0.0.300/24", "ports", List.of(443)), 400))
                .isEqualTo("cidr '10.0.0.300/24': '10.0.0.300' is not an IPv4 or IPv6 address");
        assertThat(problem("POST", Map.of("name", "t", "cidr", "10.0.0.0", "ports", List.of(443)), 400))
                .contains("needs a prefix length");
        assertThat(problem("POST", Map.of("name", "t", "cidr", "10.0.0.0/33", "ports", List.of(443)), 400))
                .contains("the prefix length 33 is more than 32");
        assertThat(problem("POST", Map.of("name", "t", "cidr", "10.0.0.7/24", "ports", List.of(443)), 400))
                .isEqualTo("cidr '10.0.0.7/24' has host bits set; the network is 10.0.0.0/24");
        assertThat(problem("POST", Map.of("name", "t", "cidr", "10.0.0.0/24", "ports", List.of(0)), 400))
                .isEqualTo("port 0 is outside 1 to 65535");
        assertThat(problem("POST", Map.of("name", "t", "cidr", "10.0.0.0/24"), 400)).contains("a cidr needs ports");
        assertThat(problem("POST", Map.of("name", "t", "endpoints", List.of("127.0.0.1:0")), 400))
                .isEqualTo("endpoint '127.0.0.1:0': port 0 is outside 1 to 65535");
        assertThat(problem("POST", Map.of("name", "t", "endpoints", List.of("example.com")), 400))
                .contains("has no port");
        assertThat(problem("POST", Map.of("name", "t", "endpoints", List.of("bad_host.test:443")), 400))
                .contains("host 'bad_host.test' is not an IP address or a DNS name").contains("'_'");
        assertThat(problem("POST", Map.of("name", "t", "endpoints", List.of("2001:db8::1:443")), 400))
                .contains("put an IPv6 address in brackets");
        assertThat(problem("POST", Map.of("name", "t"), 400)).startsWith("a target needs endpoints");
        assertThat(problem("POST", Map.of("name", "t", "endpoints", List.of()), 400)).startsWith("a target needs endpoints");
        assertThat(problem("POST", Map.of("name", " "), 400)).isEqualTo("name must not be blank");
        assertThat(problem("POST", Map.of("name", "t", "endpoints", List.of("a.test:443"), "cidr", "10.0.0.0/24"), 400))
                .isEqualTo("give either endpoints or a cidr, not both");
        assertThat(problem("POST", Map.of("name", "t", "endpoints", List.of("a.test:443"), "sni", "192.0.2.1"), 400))
                .contains("is an IP address");
        assertThat(problem("POST", Map.of("name", "t", "endpoints", List.of("a.test:443"), "intervalSeconds", 5), 400))
                .startsWith("intervalSeconds must be from 60");
        Response unreadable = api.send("POST", "/api/scan-targets", "{\"name\":", ADMIN);
        assertThat(unreadable.status()).isEqualTo(400);

        String id = createTarget(Map.of("name", "unique", "endpoints", List.of("[::1]:8443", "Example.COM:443")));
        JsonNode created = admin.get("/api/scan-targets/" + id);
        assertThat(strings(created.get("endpoints"))).containsExactly("[0:0:0:0:0:0:0:1]:8443", "example.com:443");
        assertThat(problem("POST", Map.of("name", "unique", "endpoints", List.of("a.test:443")), 409))
                .isEqualTo("a scan target named 'unique' exists already");
        assertThat(problem("GET", "/api/scan-targets/nope", null, 404)).isEqualTo("there is no scan target nope");
        assertThat(problem("POST", "/api/scan-targets/nope/run", null, 404)).isEqualTo("there is no scan target nope");

        Response disabled = api.send("PUT", "/api/scan-targets/" + id, JSON.writeValueAsString(Map.of("name", "unique",
                "endpoints", List.of("a.test:443"), "enabled", false)), ADMIN);
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertThat(problem("POST", "/api/scan-targets/" + id + "/run", null, 409)).contains("is disabled");
        assertThat(api.send("DELETE", "/api/scan-targets/" + id, null, ADMIN).status()).isEqualTo(204);
        assertThat(api.get("/api/scan-targets/" + id, ADMIN).status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(admin.audit("scan-target.updated", id)).hasSize(1);
            assertThat(admin.audit("scan-target.deleted", id)).hasSize(1);
        });
    }

    @Test
    void theOpenApiDescriptionListsTheDiscoveryOperations() {
        assertThat(api.get("/v3/api-docs", ADMIN).body()).contains("/api/scan-targets/{id}/run",
                "/api/scan-targets/{id}/runs", "\"Discovery\"");
    }

    @Test
    void viewingIsNotManaging() {
        Response user = api.send("POST", "/api/users", "{\"username\":\"scan-viewer\",\"password\":\"scan-viewer-long"
                + "-password\",\"permissions\":[\"certificates.view\"]}", ADMIN);
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        String viewer = basic("scan-viewer", "scan-viewer-long-password");
        String body = JSON.writeValueAsString(Map.of("name", "viewer made", "endpoints", List.of("a.test:443")));
        assertThat(api.send("POST", "/api/scan-targets", body, viewer).status()).isEqualTo(403);
        String id = createTarget(Map.of("name", "viewable", "endpoints", List.of("a.test:443")));
        assertThat(api.get("/api/scan-targets", viewer).status()).isEqualTo(200);
        assertThat(api.get("/api/scan-targets/" + id, viewer).status()).isEqualTo(200);
        assertThat(api.get("/api/scan-targets/" + id + "/runs", viewer).status()).isEqualTo(200);
        assertThat(api.send("POST", "/api/scan-targets/" + id + "/run", null, viewer).status()).isEqualTo(403);
        assertThat(api.send("PUT", "/api/scan-targets/" + id, body, viewer).status()).isEqualTo(403);
        assertThat(api.send("DELETE", "/api/scan-targets/" + id, null, viewer).status()).isEqualTo(403);
        assertThat(api.get("/api/scan-targets", null).status()).isEqualTo(401);
    }

    private static LoopbackTlsServer server(Served served) throws Exception {
        LoopbackTlsServer server = new LoopbackTlsServer(served);
        SERVERS.add(server);
        return server;
    }

    private static Instant days(Instant from, int days) {
        return from.plus(Duration.ofDays(days));
    }

    /** A loopback port nothing listens on: bound, then released. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private String createTarget(Map<String, Object> body) {
        Response created = api.send("POST", "/api/scan-targets", JSON.writeValueAsString(body), ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** Asks for a run, checks the 202, and waits for it to end; returns the completed run. */
    private JsonNode runAndWait(String target) {
        Response queued = api.send("POST", "/api/scan-targets/" + target + "/run", null, ADMIN);
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        assertThat(queued.json().get("state").asString()).isEqualTo("queued");
        String runId = queued.json().get("id").asString();
        JsonNode[] done = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode run = runs(target).stream().filter(r -> r.get("id").asString().equals(runId)).findFirst()
                    .orElseThrow();
            assertThat(run.get("state").asString()).isIn("completed", "failed");
            done[0] = run;
        });
        assertThat(done[0].get("state").asString()).as(done[0].toString()).isEqualTo("completed");
        return done[0];
    }

    private List<JsonNode> runs(String target) {
        return admin.get("/api/scan-targets/" + target + "/runs").valueStream().toList();
    }

    private JsonNode detail(Served served) {
        return detail(served.leaf());
    }

    private JsonNode detail(java.security.cert.X509Certificate certificate) {
        String fingerprint = Certificates.sha256Fingerprint(certificate);
        JsonNode found = admin.get("/api/certificates?q=" + fingerprint);
        assertThat(found.get("total").asLong()).as("certificate " + fingerprint).isEqualTo(1);
        return admin.get("/api/certificates/" + found.get("items").get(0).get("id").asString());
    }

    private JsonNode detailByName(String dnsName) {
        return admin.get("/api/certificates/" + summary(dnsName).get("id").asString());
    }

    private JsonNode summary(String dnsName) {
        JsonNode found = admin.get("/api/certificates?leafOnly=true&q=" + dnsName);
        List<JsonNode> exact = found.get("items").valueStream()
                .filter(item -> strings(item.get("names")).contains(dnsName)).toList();
        assertThat(exact).as(dnsName).hasSize(1);
        return exact.get(0);
    }

    private static JsonNode endpointOf(JsonNode detail, String source) {
        return detail.get("endpoints").valueStream().filter(e -> e.get("source").asString().equals(source))
                .findFirst().orElseThrow(() -> new AssertionError("no endpoint of " + source + " in " + detail));
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private String problem(String method, Map<String, Object> body, int status) {
        return problem(method, "/api/scan-targets", JSON.writeValueAsString(body), status);
    }

    private String problem(String method, String path, String body, int status) {
        Response response = api.send(method, path, body, ADMIN);
        assertThat(response.status()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return response.json().get("detail").asString();
    }
}
