package dev.certplane.renewal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
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
import dev.certplane.support.MutableClock;
import dev.certplane.support.Pebble;
import dev.certplane.support.RenewalApi;

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
 * Renewals by method {@code acme}: through Pebble (which validates HTTP-01 against the built-in responder, resolving
 * through a real BIND 9), and through Certplane's own ACME server as an external CA that offers renewal information
 * (RFC 9773), whose suggested window decides when the sweep renews.
 */
@CertplaneIT
@TestPropertySource(properties = {
        "certplane.acme.profiles.upstream.allowed-domains=.rn.test",
        "certplane.acme.client.poll-interval=200ms",
        "certplane.acme.client.run-interval=500ms",
        "certplane.renewal.runner-interval=1s"})
class AcmeRenewalIT {

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

    RenewalApi renewal;

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
        renewal = new RenewalApi(new ApiClient(port, certplane.caBundleFile()));
    }

    @Test
    void renewsThroughPebbleAndBacksOffWhenTheCaRefuses() {
        String issuer = new AcmeWorkflowApi(renewal.api()).registeredIssuer("pebble-" + unique(), pebble);
        String org = "pebble-" + unique();
        renewal.policy("\"scope\":\"organization\",\"organization\":\"" + org + "\",\"method\":\"acme\",\"acmeIssuerId\":\""
                + issuer + "\",\"acmeContact\":\"pki@rn.test\",\"acmeChallenge\":\"http-01\"");
        String managed = renewal.managed("pebble-" + unique(), org, "upstream", List.of(host("www")));

        JsonNode first = renewal.renewed(managed);
        assertThat(first.get("method").asString()).isEqualTo("acme");
        assertThat(first.get("jobReference").asString()).startsWith("acme-workflow:");
        assertThat(first.get("newVersion").asInt()).isEqualTo(1);
        JsonNode version = renewal.get("/api/managed-certificates/" + managed).get("current");
        assertThat(version.get("source").asString()).isEqualTo("acme-client");
        assertThat(version.get("issuer").asString()).contains("Pebble");
        JsonNode workflow = renewal.get("/api/acme/workflows/" + first.get("jobReference").asString()
                .substring("acme-workflow:".length()));
        assertThat(workflow.at("/workflow/status").asString()).isEqualTo("succeeded");

        JsonNode second = renewal.renewed(managed);
        assertThat(second.get("oldVersion").asInt()).isEqualTo(1);
        assertThat(second.get("newVersion").asInt()).isEqualTo(2);
        assertThat(renewal.currentVersion(managed)).isEqualTo(2);

        // A name Pebble cannot resolve: the CA refuses the challenge, the workflow fails, so does the attempt.
        String unreachable = renewal.managed("pebble-" + unique(), org, "upstream",
                List.of("nowhere-" + unique() + ".rn.test"));
        Response renew = renewal.renew(unreachable);
        assertThat(renew.status()).as(renew.body()).isEqualTo(200);
        JsonNode failed = awaitEnd(renew.json().get("attemptId").asString());
        assertThat(failed.get("state").asString()).isEqualTo("failed");
        assertThat(failed.get("error").asString()).startsWith("ACME workflow ").contains(" failed: ");
        assertThat(Instant.parse(failed.get("nextRetryAt").asString()))
                .isEqualTo(Instant.parse(failed.get("finishedAt").asString()).plus(Duration.ofHours(1)));
        assertThat(renewal.get("/api/alerts?state=open&kind=certificate_renewal_failed&size=500").get("items")
                .valueStream().map(a -> a.get("target").asString())).contains("managed-certificate:" + unreachable);
    }

    @Test
    void theSweepClosesWhatACertificateRenewedSomeOtherWayMadeStale() {
        AcmeWorkflowApi workflows = new AcmeWorkflowApi(renewal.api());
        String issuer = workflows.registeredIssuer("pebble-" + unique(), pebble);
        String acmePolicy = "\"method\":\"acme\",\"acmeIssuerId\":\"" + issuer
                + "\",\"acmeContact\":\"pki@rn.test\",\"acmeChallenge\":\"http-01\"";
        String gatedOrg = "stale-gated-" + unique();
        renewal.policy("\"scope\":\"organization\",\"organization\":\"" + gatedOrg + "\",\"requireChangeRecord\":true,"
                + acmePolicy);
        String gated = renewal.managed("stale-" + unique(), gatedOrg, "upstream", List.of(host("gated")));
        Response held = renewal.renew(gated);
        assertThat(held.status()).as(held.body()).isEqualTo(202);

        // A failed renewal: the CA cannot resolve the name yet.
        String failingOrg = "stale-failing-" + unique();
        renewal.policy("\"scope\":\"organization\",\"organization\":\"" + failingOrg + "\"," + acmePolicy);
        String name = "later-" + unique() + ".rn.test";
        String failing = renewal.managed("stale-" + unique(), failingOrg, "upstream", List.of(name));
        JsonNode failed = awaitEnd(renewal.renew(failing).json().get("attemptId").asString());
        assertThat(failed.get("state").asString()).isEqualTo("failed");

        // Both get a version outside the renewal engine: an operator's own workflow.
        BIND.add(name, "A", "127.0.0.1");
        for (String managed : List.of(gated, failing)) {
            JsonNode workflow = workflows.run(Map.of("issuerId", issuer, "managedCertificateId", managed,
                    "challenge", "http-01"));
            assertThat(workflow.at("/workflow/status").asString()).as(workflow.toString()).isEqualTo("succeeded");
        }

        assertThat(renewal.sweep().get("superseded").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode superseded = renewal.attempt(held.json().get("attemptId").asString());
        assertThat(superseded.get("state").asString()).isEqualTo("superseded");
        assertThat(superseded.get("error").asString())
                .isEqualTo("the managed certificate was renewed some other way: version 1 is current");
        assertThat(renewal.get("/api/change-records/" + held.json().get("changeRecordId").asString())
                .get("state").asString()).isEqualTo("cancelled");
        assertThat(renewal.get("/api/alerts?state=open&kind=certificate_renewal_failed&size=500").get("items")
                .valueStream().map(a -> a.get("target").asString())).doesNotContain("managed-certificate:" + failing);
    }

    @Test
    void withAriTheSweepRenewsWhenTheCasSuggestedWindowOpens() throws Exception {
        // Certplane's own ACME server offers renewal information (Pebble 2.4 does not), so it is the external CA here.
        Response ownCa = renewal.api().send("POST", "/api/acme/issuers", JSON.writeValueAsString(Map.of("name",
                "self-" + unique(), "preset", "custom", "directoryUrl", "https://localhost:" + port
                        + "/acme/upstream/directory", "trustBundlePem", Files.readString(certplane.caBundleFile()))),
                renewal.admin());
        assertThat(ownCa.json().get("status").asString()).as(ownCa.body()).isEqualTo("registered");
        String org = "ari-" + unique();
        renewal.policy("\"scope\":\"organization\",\"organization\":\"" + org + "\",\"method\":\"acme\",\"acmeIssuerId\":\""
                + ownCa.json().get("id").asString() + "\",\"acmeContact\":\"pki@rn.test\",\"window\":\"ari\","
                + "\"renewBeforeDays\":1");
        String managed = renewal.managed("ari-" + unique(), org, "upstream", List.of(host("ari")));
        JsonNode first = renewal.renewed(managed);
        JsonNode workflow = renewal.get("/api/acme/workflows/" + first.get("jobReference").asString()
                .substring("acme-workflow:".length()));
        Instant suggested = Instant.parse(workflow.at("/workflow/renewalWindowStart").asString());
        Instant notAfter = Instant.parse(first.get("newNotAfter").asString());
        assertThat(suggested).isBefore(notAfter.minus(Duration.ofDays(1)));
        assertThat(Instant.parse(renewal.history(managed).get("windowStart").asString())).isEqualTo(suggested);

        Instant start = clock.instant();
        try {
            clock.set(suggested.minusSeconds(60));
            renewal.sweep();
            assertThat(renewal.attempts(managed)).as("not yet in the CA's window").hasSize(1);
            clock.set(suggested.plusSeconds(60));
            renewal.sweep();
            List<JsonNode> attempts = renewal.attempts(managed);
            assertThat(attempts).hasSize(2);
            JsonNode renewed = renewal.awaitState(attempts.get(0).get("id").asString(), "completed");
            assertThat(renewed.get("trigger").asString()).isEqualTo("sweep");
            assertThat(renewed.get("newVersion").asInt()).isEqualTo(2);
            JsonNode second = renewal.get("/api/acme/workflows/" + renewed.get("jobReference").asString()
                    .substring("acme-workflow:".length()));
            assertThat(second.at("/workflow/replaces").asString())
                    .isEqualTo(workflow.at("/workflow/certificateId").asString());
        } finally {
            clock.set(start);
        }
    }

    /** Waits until the attempt has ended, whichever way. */
    private JsonNode awaitEnd(String attemptId) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !List.of("pending",
                "in_progress").contains(renewal.attempt(attemptId).get("state").asString()));
        return renewal.attempt(attemptId);
    }

    private static String host(String label) {
        return BIND.loopbackName(label, "rn.test");
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
