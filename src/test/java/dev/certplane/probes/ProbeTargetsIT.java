package dev.certplane.probes;

import static dev.certplane.support.ApiClient.bearer;
import static dev.certplane.support.DeliveryApi.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.certplane.acme.AcmeIT;
import dev.certplane.inventory.Inventory;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.pki.Certificates;
import dev.certplane.probes.ProbePki.Issued;
import dev.certplane.probes.internal.Confirmation;
import dev.certplane.probes.internal.Confirmations;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.MutableClock;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The probe target API: every field checked with a precise problem, conflicts, permissions, the audit trail of every
 * change, what deleting a target leaves behind, and SMTP endpoints probed through STARTTLS against a tiny SMTP server.
 */
@AcmeIT
class ProbeTargetsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ProbePki pki;

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    ManagedCertificates certificates;

    @Autowired
    Inventory inventory;

    @Autowired
    MutableClock clock;

    @Autowired
    Confirmations confirmations;

    ApiClient api;
    DeliveryApi delivery;
    ProbesApi probes;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, certplane.caBundleFile());
        delivery = new DeliveryApi(api);
        probes = new ProbesApi(api);
        if (pki == null) {
            pki = new ProbePki(clock.instant());
        }
    }

    @Test
    void everyBadFieldGetsAProblemNamingItAndNothingIsStored() {
        String managed = delivery.managedCertificate("probe api checks", "edge", List.of("checks.probes.edge.test"));
        Map<String, Object> valid = Map.of("host", "checks.probes.edge.test", "port", 443, "managedCertificateId", managed);

        assertProblem(400, without(valid, "host"), "host must be a DNS name or an IP address, such as shop.example.com");
        assertProblem(400, with(valid, "host", "bad host"), "host: host 'bad host' is not an IP address or a DNS name:"
                + " label 'bad host' contains ' '; only a-z, 0-9 and '-' are allowed (RFC 1123 2.1)");
        assertProblem(400, without(valid, "port"), "port is required, such as 443");
        assertProblem(400, with(valid, "port", 0), "port 0 is outside 1 to 65535");
        assertProblem(400, with(valid, "port", "https"), "field 'port' has a value of the wrong type or format");
        assertProblem(400, with(valid, "sni", "10.0.0.1"), "sni '10.0.0.1' is an IP address; server_name carries only"
                + " DNS names (RFC 6066 3)");
        assertProblem(400, with(valid, "starttls", "pop3"), "starttls 'pop3' is not supported; use smtp, or none for TLS"
                + " from the first byte");
        assertProblem(400, with(valid, "intervalSeconds", 30), "intervalSeconds must be from 60 to 31622400 (a year),"
                + " or null to probe only when asked and after deliveries; was 30");
        assertProblem(400, without(valid, "managedCertificateId"), "managedCertificateId must name the managed"
                + " certificate the endpoint should serve");
        assertProblem(400, with(valid, "managedCertificateId", "nope"), "managedCertificateId: there is no managed"
                + " certificate nope");
        Response notJson = api.send("POST", "/api/probes", "{\"host\":", ADMIN);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("detail").asString()).startsWith("the request body is not valid JSON");
        assertThat(probes.get("/api/probes?managedCertificateId=" + managed).get("total").asInt()).isZero();

        String id = probes.create(valid).get("id").asString();
        Response duplicate = api.send("POST", "/api/probes", JSON.writeValueAsString(with(valid, "host",
                "CHECKS.probes.edge.test")), ADMIN);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("detail").asString()).isEqualTo("probe target " + id + " probes"
                + " checks.probes.edge.test:443 already; change that one instead");
        // another SNI name on the same port is another endpoint
        probes.create(with(valid, "sni", "other.probes.edge.test"));

        for (String path : List.of("/api/probes/nope", "/api/probes/nope/results")) {
            Response missing = api.get(path, ADMIN);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.json().get("detail").asString()).isEqualTo("there is no probe target nope");
        }
        assertThat(api.send("POST", "/api/probes/nope/probe", null, ADMIN).status()).isEqualTo(404);
        assertThat(api.send("DELETE", "/api/probes/nope", null, ADMIN).status()).isEqualTo(404);
        assertThat(api.send("PUT", "/api/probes/nope", JSON.writeValueAsString(valid), ADMIN).status()).isEqualTo(404);
        assertThat(api.get("/api/probes/" + id + "/results?limit=0", ADMIN).json().get("detail").asString())
                .isEqualTo("limit must be 1 to 1000");
        assertThat(api.get("/api/probes?status=broken", ADMIN).json().get("detail").asString())
                .startsWith("unknown status 'broken'");
        assertThat(api.get("/api/probes?size=501", ADMIN).json().get("detail").asString())
                .isEqualTo("page must be 0 or more and size 1 to 500");
        assertThat(api.get("/api/managed-certificates/nope/confirmations", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void changesAreAuditedAndViewingAndManagingTakeTheirPermissions() {
        String managed = delivery.managedCertificate("probe api changes", "edge", List.of("changes.probes.edge.test"));
        JsonNode created = probes.create(Map.of("host", "2001:db8::10", "port", 8443, "sni", "Changes.probes.edge.test",
                "managedCertificateId", managed, "intervalSeconds", 600, "enabled", false));
        String id = created.get("id").asString();
        assertThat(created.get("host").asString()).isEqualTo("2001:db8:0:0:0:0:0:10");
        assertThat(created.get("sni").asString()).isEqualTo("changes.probes.edge.test");
        assertThat(created.get("endpoint").asString()).isEqualTo("[2001:db8:0:0:0:0:0:10]:8443 (SNI changes.probes.edge.test)");
        assertThat(created.get("starttls").asString()).isEqualTo("none");
        assertThat(created.get("enabled").asBoolean()).isFalse();
        assertThat(created.has("nextProbeAt")).as("a disabled target is not scheduled").isFalse();
        assertThat(created.has("status")).isFalse();

        Response disabled = api.send("POST", "/api/probes/" + id + "/probe", null, ADMIN);
        assertThat(disabled.status()).isEqualTo(409);
        assertThat(disabled.json().get("detail").asString()).isEqualTo("probe target " + id
                + " is disabled; enable it to probe it");

        Response updated = api.send("PUT", "/api/probes/" + id, JSON.writeValueAsString(Map.of("host", "127.0.0.1",
                "port", 8443, "managedCertificateId", managed, "intervalSeconds", 600)), ADMIN);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("enabled").asBoolean()).isTrue();
        assertThat(updated.json().has("sni")).isFalse();
        assertThat(Instant.parse(updated.json().get("nextProbeAt").asString())).isEqualTo(clock.instant());

        Response token = api.send("POST", "/api/api-tokens",
                "{\"name\":\"probe viewer\",\"permissions\":[\"certificates.view\"]}", ADMIN);
        String viewer = bearer(token.json().get("secret").asString());
        assertThat(api.get("/api/probes/" + id, viewer).status()).isEqualTo(200);
        assertThat(api.get("/api/probes?managedCertificateId=" + managed, viewer).json().get("total").asInt()).isEqualTo(1);
        assertThat(api.send("POST", "/api/probes/" + id + "/probe", null, viewer).status()).isEqualTo(403);
        assertThat(api.send("DELETE", "/api/probes/" + id, null, viewer).status()).isEqualTo(403);
        assertThat(api.send("POST", "/api/probes", JSON.writeValueAsString(Map.of("host", "a.probes.edge.test",
                "port", 443, "managedCertificateId", managed)), viewer).status()).isEqualTo(403);
        assertThat(api.get("/api/probes", null).status()).isEqualTo(401);

        assertThat(api.send("DELETE", "/api/probes/" + id, null, ADMIN).status()).isEqualTo(204);
        assertThat(api.get("/api/probes/" + id, ADMIN).status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode createdEvent = probes.audit("probe-target.created", id).get(0);
            assertThat(createdEvent.get("actor").asString()).isEqualTo("admin");
            assertThat(createdEvent.get("details").get("endpoint").asString())
                    .isEqualTo("[2001:db8:0:0:0:0:0:10]:8443 (SNI changes.probes.edge.test)");
            assertThat(createdEvent.get("details").get("interval").asString()).isEqualTo("600s");
            assertThat(probes.audit("probe-target.updated", id).get(0).get("details").get("enabled").asString())
                    .isEqualTo("true");
            assertThat(probes.audit("probe-target.deleted", id)).hasSize(1);
        });
        assertThat(api.get("/v3/api-docs", ADMIN).body()).contains("/api/probes/{id}/probe", "/api/probes/{id}/results",
                "/api/managed-certificates/{id}/confirmations");
    }

    @Test
    void smtpEndpointsAreProbedThroughStarttlsAndDeletingATargetLeavesItsFindingsStale() throws Exception {
        String name = "mail.probes.edge.test";
        String managed = delivery.managedCertificate("probe smtp", "edge", List.of(name));
        Issued version = pki.leaf(List.of(name), clock.instant().minusSeconds(3600), clock.instant().plusSeconds(86400 * 30));
        certificates.addVersion(managed, version.chainWithRoot(), "test", "probe-it", "test");
        try (TinySmtpServer smtp = new TinySmtpServer(version, true);
                TinySmtpServer plain = new TinySmtpServer(version, false)) {
            String target = probes.create(Map.of("host", "127.0.0.1", "port", smtp.port(), "sni", name,
                    "starttls", "smtp", "managedCertificateId", managed)).get("id").asString();
            JsonNode ok = probes.probe(target);
            assertThat(ok.get("status").asString()).as(ok.toString()).isEqualTo("ok");
            assertThat(ok.get("servedVersion").asInt()).isEqualTo(1);
            assertThat(ok.get("protocol").asString()).isEqualTo("TLSv1.3");
            assertThat(probes.get("/api/probes/" + target).get("endpoint").asString())
                    .isEqualTo("127.0.0.1:" + smtp.port() + " (SNI " + name + ") (STARTTLS smtp)");

            String refusing = probes.create(Map.of("host", "127.0.0.1", "port", plain.port(), "sni", name,
                    "starttls", "smtp", "managedCertificateId", managed)).get("id").asString();
            JsonNode unreachable = probes.probe(refusing);
            assertThat(unreachable.get("status").asString()).isEqualTo("unreachable");
            assertThat(unreachable.get("error").asString()).isEqualTo("the SMTP server does not offer STARTTLS");

            String leaf = inventory.findByFingerprint(Certificates.sha256Fingerprint(version.leaf())).orElseThrow().id();
            assertThat(endpointOf(leaf, target).has("staleSince")).isFalse();
            assertThat(api.send("DELETE", "/api/probes/" + target, null, ADMIN).status()).isEqualTo(204);
            assertThat(endpointOf(leaf, target).has("staleSince")).isTrue();
            assertThat(probes.get("/api/certificates/" + leaf).get("sources").valueStream().map(JsonNode::asString)
                    .toList()).doesNotContain("probe:" + target);
            assertThat(probes.alerts("probe-drift:" + refusing).get(0).get("state").asString()).isEqualTo("open");
            assertThat(api.send("DELETE", "/api/probes/" + refusing, null, ADMIN).status()).isEqualTo(204);
            assertThat(probes.alerts("probe-drift:" + refusing).get(0).get("state").asString()).isEqualTo("resolved");
        }
    }

    @Test
    void anEventDeliveredAgainStartsNoSecondConfirmation() {
        String managed = delivery.managedCertificate("probe redelivery", "edge", List.of("again.probes.edge.test"));
        probes.target(65000, "again.probes.edge.test", managed);
        assertThat(confirmations.start(managed, 3, "ab".repeat(32), Confirmation.DELIVERY, "delivery-again")).isPresent();
        assertThat(confirmations.start(managed, 3, "ab".repeat(32), Confirmation.DELIVERY, "delivery-again")).isEmpty();
        List<JsonNode> started = probes.get("/api/managed-certificates/" + managed + "/confirmations").valueStream()
                .toList();
        assertThat(started).hasSize(1);
        assertThat(started.get(0).get("reference").asString()).isEqualTo("delivery-again");
        assertThat(started.get(0).get("endpoints").get(0).get("endpoint").asString()).isEqualTo("127.0.0.1:65000");
    }

    private JsonNode endpointOf(String certificateId, String target) {
        return probes.get("/api/certificates/" + certificateId).get("endpoints").valueStream()
                .filter(e -> e.get("source").asString().equals("probe:" + target)).findFirst().orElseThrow();
    }

    private void assertProblem(int status, Map<String, Object> body, String detail) {
        Response response = api.send("POST", "/api/probes", JSON.writeValueAsString(body), ADMIN);
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).isEqualTo(detail);
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> base, String key) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.remove(key);
        return copy;
    }
}
