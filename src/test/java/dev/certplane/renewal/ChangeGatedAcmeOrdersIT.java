package dev.certplane.renewal;

import static dev.certplane.acme.protocol.TestJws.b64;
import static dev.certplane.acme.protocol.TestJws.externalAccountBinding;
import static dev.certplane.acme.protocol.TestJws.json;
import static dev.certplane.acme.protocol.TestJws.jwkHeader;
import static dev.certplane.acme.protocol.TestJws.kidHeader;
import static dev.certplane.acme.protocol.TestJws.sign;
import static dev.certplane.support.DeliveryApi.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;

import dev.certplane.acme.AcmeIT;
import dev.certplane.acme.protocol.TestJws;
import dev.certplane.pki.Certificates;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.AcmeClients;
import dev.certplane.support.AcmeClients.Run;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.MutableClock;
import dev.certplane.support.RawAcme;
import dev.certplane.support.RawAcme.Reply;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

/**
 * Change-gated renewals through the ACME server: an edge client holding a certificate token finalizes an order of a
 * managed certificate whose renewal policy requires a change record; the order waits in {@code processing} with
 * {@code Retry-After} until an operator decides the change. Approved (and released by the sweep), the client's CSR is
 * issued as the next version; rejected, the order fails with the reason. Each test uses its own organization and
 * policy, so other tests of the shared context issue without approval.
 */
@AcmeIT
class ChangeGatedAcmeOrdersIT {

    private static final String APPROVER = ApiClient.basic("gate-approver", "gate-approver-long-password");

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MutableClock clock;

    @Autowired
    SchedulerClient scheduler;

    ApiClient api;
    DeliveryApi delivery;
    RawAcme acme;

    @BeforeEach
    void clients() {
        api = new ApiClient(port, certplane.caBundleFile());
        delivery = new DeliveryApi(api);
        acme = new RawAcme(port, certplane.caBundleFile(), "edge");
        Response user = api.send("POST", "/api/users", "{\"username\":\"gate-approver\",\"password\":"
                + "\"gate-approver-long-password\",\"permissions\":[\"certificates.manage\",\"certificates.view\"]}", ADMIN);
        assertThat(user.status()).as(user.body()).isIn(201, 409);
    }

    @Test
    void anApprovedChangeReleasesTheHeldOrderWhichIssuesTheClientsCsrAsTheNextVersion() throws Exception {
        Edge edge = gated("gate-approve", "approve.gate.edge.test");
        KeyPair certificateKey = TestJws.newKeyPair("ES256");
        Reply order = newOrder(edge, "approve.gate.edge.test");
        String orderUrl = order.location();
        String orderId = orderUrl.substring(orderUrl.lastIndexOf('/') + 1);

        String csr = b64(RawAcme.csr(certificateKey, "approve.gate.edge.test"));
        Reply finalized = post(edge, order.json().get("finalize").asString(), json(Map.of("csr", csr)));
        assertThat(finalized.status()).as(finalized.body()).isEqualTo(200);
        assertThat(finalized.json().get("status").asString()).isEqualTo("processing");
        assertThat(finalized.retryAfter()).isEqualTo("10");
        assertThat(finalized.json().has("certificate")).isFalse();

        Reply polled = post(edge, orderUrl, "");
        assertThat(polled.json().get("status").asString()).isEqualTo("processing");
        assertThat(polled.retryAfter()).isEqualTo("10");
        Reply authorization = post(edge, order.json().get("authorizations").get(0).asString(), "");
        assertThat(authorization.status()).isEqualTo(200);
        assertThat(authorization.json().get("status").asString()).isEqualTo("valid");
        Reply again = post(edge, order.json().get("finalize").asString(), json(Map.of("csr", csr)));
        assertThat(again.json().get("status").asString()).as("the same CSR again").isEqualTo("processing");
        assertThat(latestAttempt(edge.managed()).get("reference").asString()).isEqualTo("acme-order:" + orderId);

        JsonNode change = pendingChange(edge.managed());
        assertThat(change.get("requestedBy").asString()).isEqualTo("acme-account:" + accountId(edge));
        assertThat(change.get("summary").asString()).contains("acme-order:" + orderId);
        JsonNode attempt = latestAttempt(edge.managed());
        assertThat(attempt.get("state").asString()).isEqualTo("awaiting_change_approval");
        assertThat(attempt.get("reference").asString()).isEqualTo("acme-order:" + orderId);
        assertThat(attempt.get("changeRecordId").asString()).isEqualTo(change.get("id").asString());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<JsonNode> held = delivery.audit("acme.order.held", orderId);
            assertThat(held).hasSize(1);
            assertThat(held.get(0).get("details").get("changeRecord").asString()).isEqualTo(change.get("id").asString());
            assertThat(held.get(0).get("details").get("change").asString()).isEqualTo(change.get("number").asString());
            assertThat(held.get(0).get("actor").asString()).isEqualTo("acme-account:" + accountId(edge));
        });

        // One renewal of a managed certificate at a time: a second order cannot be held while this one is.
        Reply second = newOrder(edge, "approve.gate.edge.test");
        Reply refused = post(edge, second.json().get("finalize").asString(),
                json(Map.of("csr", b64(RawAcme.csr(TestJws.newKeyPair("ES256"), "approve.gate.edge.test")))));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.type()).isEqualTo("orderNotReady");
        assertThat(refused.detail()).contains("is open already");
        assertThat(post(edge, second.location(), "").json().get("status").asString()).isEqualTo("ready");

        // Approval alone does not issue: the next sweep releases the order.
        Response approved = api.send("POST", "/api/change-records/" + change.get("id").asString() + "/approve",
                "{\"note\":\"window agreed\"}", APPROVER);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().get("decidedBy").asString()).isEqualTo("gate-approver");
        assertThat(post(edge, orderUrl, "").json().get("status").asString()).isEqualTo("processing");
        sweep();

        JsonNode valid = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> post(edge, orderUrl, "").json(), o -> o.get("status").asString().equals("valid"));
        Reply download = post(edge, valid.get("certificate").asString(), "");
        assertThat(download.status()).isEqualTo(200);
        X509Certificate leaf = leaf(download.body());
        assertThat(leaf.getPublicKey()).isEqualTo(certificateKey.getPublic());
        JsonNode current = delivery.get("/api/managed-certificates/" + edge.managed()).get("current");
        assertThat(current.get("version").asInt()).isEqualTo(1);
        assertThat(current.get("fingerprintSha256").asString()).isEqualTo(Certificates.sha256Fingerprint(leaf));
        JsonNode completed = latestAttempt(edge.managed());
        assertThat(completed.get("id").asString()).isEqualTo(attempt.get("id").asString());
        assertThat(completed.get("state").asString()).isEqualTo("completed");
        assertThat(completed.get("newVersion").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<JsonNode> events = delivery.audit("acme.order.finalized", orderId);
            assertThat(events).hasSize(1);
            JsonNode issued = events.get(0);
            assertThat(issued.get("outcome").asString()).isEqualToIgnoringCase("success");
            assertThat(issued.get("details").get("version").asString()).isEqualTo("1");
            assertThat(issued.get("details").get("renewalAttempt").asString()).isEqualTo(attempt.get("id").asString());
            assertThat(delivery.audit("renewal.completed", attempt.get("id").asString())).hasSize(1);
        });

        // Handled again (a redelivered event), the release changes nothing.
        assertThat(post(edge, orderUrl, "").json().get("certificate").asString())
                .isEqualTo(valid.get("certificate").asString());
        assertThat(delivery.get("/api/managed-certificates/" + edge.managed()).get("versions").asInt()).isEqualTo(1);
    }

    @Test
    void aRejectedChangeFailsTheHeldOrderWithTheReason() throws Exception {
        Edge edge = gated("gate-reject", "reject.gate.edge.test");
        Reply order = newOrder(edge, "reject.gate.edge.test");
        String orderId = order.location().substring(order.location().lastIndexOf('/') + 1);
        Reply finalized = post(edge, order.json().get("finalize").asString(),
                json(Map.of("csr", b64(RawAcme.csr(TestJws.newKeyPair("ES256"), "reject.gate.edge.test")))));
        assertThat(finalized.json().get("status").asString()).isEqualTo("processing");
        JsonNode change = pendingChange(edge.managed());

        Response rejected = api.send("POST", "/api/change-records/" + change.get("id").asString() + "/reject",
                "{\"note\":\"change freeze until Monday\"}", ADMIN);
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);

        JsonNode invalid = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> post(edge, order.location(), "").json(), o -> o.get("status").asString().equals("invalid"));
        assertThat(invalid.get("error").get("type").asString()).isEqualTo("urn:ietf:params:acme:error:unauthorized");
        assertThat(invalid.get("error").get("detail").asString()).isEqualTo("change " + change.get("number").asString()
                + " was rejected by admin: change freeze until Monday");
        assertThat(invalid.has("certificate")).isFalse();
        JsonNode attempt = latestAttempt(edge.managed());
        assertThat(attempt.get("state").asString()).isEqualTo("failed");
        assertThat(attempt.get("error").asString()).contains("was rejected by admin");
        assertThat(delivery.get("/api/managed-certificates/" + edge.managed()).get("versions").asInt()).isZero();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<JsonNode> events = delivery.audit("acme.order.finalized", orderId);
            assertThat(events).hasSize(1);
            JsonNode failed = events.get(0);
            assertThat(failed.get("outcome").asString()).isEqualToIgnoringCase("failure");
            assertThat(failed.get("details").get("reason").asString()).contains("change freeze until Monday");
        });

        // The names may be ordered again, and held again.
        Reply next = newOrder(edge, "reject.gate.edge.test");
        Reply heldAgain = post(edge, next.json().get("finalize").asString(),
                json(Map.of("csr", b64(RawAcme.csr(TestJws.newKeyPair("ES256"), "reject.gate.edge.test")))));
        assertThat(heldAgain.json().get("status").asString()).isEqualTo("processing");
        assertThat(latestAttempt(edge.managed()).get("state").asString()).isEqualTo("awaiting_change_approval");
    }

    @Test
    void legoWaitsForTheApprovalAndEndsWithTheCertificate(@TempDir Path work) throws Exception {
        Edge edge = gated("gate-lego", "lego.gate.edge.test");
        var lego = AcmeClients.lego(edge.token().get("directoryUrl").asString(), certplane.caBundleFile(), work)
                .withEab(DeliveryApi.eab(edge.token())).withCertificateTimeout(90);
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> lego.attempt(List.of("lego.gate.edge.test"),
                List.of("run")));

        JsonNode change = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> pendingChange(edge.managed()), c -> c != null);
        assertThat(running).isNotDone();
        Response approved = api.send("POST", "/api/change-records/" + change.get("id").asString() + "/approve", null,
                APPROVER);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        sweep();

        Run run = running.get();
        assertThat(run.succeeded()).as(run.output()).isTrue();
        X509Certificate issued = lego.issued("lego.gate.edge.test");
        assertThat(AcmeClients.dnsNames(issued)).containsExactly("lego.gate.edge.test");
        JsonNode current = delivery.get("/api/managed-certificates/" + edge.managed()).get("current");
        assertThat(current.get("fingerprintSha256").asString()).isEqualTo(Certificates.sha256Fingerprint(issued));
        assertThat(latestAttempt(edge.managed()).get("state").asString()).isEqualTo("completed");
        assertThat(delivery.get("/api/managed-certificates/" + edge.managed() + "/deliveries").get(0).get("userAgent")
                .asString()).contains("lego");
    }

    @Test
    void theInterruptedOrderCleanupLeavesHeldOrdersWaitingUntilTheyExpire() throws Exception {
        Edge edge = gated("gate-cleanup", "cleanup.gate.edge.test");
        Reply order = newOrder(edge, "cleanup.gate.edge.test");
        String orderId = order.location().substring(order.location().lastIndexOf('/') + 1);
        assertThat(post(edge, order.json().get("finalize").asString(), json(Map.of("csr",
                b64(RawAcme.csr(TestJws.newKeyPair("ES256"), "cleanup.gate.edge.test"))))).json().get("status")
                .asString()).isEqualTo("processing");
        JsonNode change = pendingChange(edge.managed());
        // What a crash while finalizing leaves behind, to see the cleanup run.
        String interrupted = "gate-interrupted-" + Long.toString(clock.millis(), 36);
        jdbc.sql("""
                insert into acme_orders (id, account_id, profile, progress, identifiers, expires, created_at,
                                         finalized_at, csr_sha256)
                values (:id, 'gate-crashed', 'edge', 'processing', '[]', :expires, :now, :now, 'x')
                """).param("id", interrupted).param("expires", Timestamp.from(clock.instant().plus(Duration.ofDays(1))))
                .param("now", Timestamp.from(clock.instant())).update();

        clock.advance(Duration.ofMinutes(6));
        awaitCleanup(interrupted);
        Reply stillHeld = post(edge, order.location(), "");
        assertThat(stillHeld.json().get("status").asString()).isEqualTo("processing");
        assertThat(stillHeld.retryAfter()).isEqualTo("10");
        assertThat(stillHeld.json().has("error")).isFalse();
        assertThat(latestAttempt(edge.managed()).get("state").asString()).isEqualTo("awaiting_change_approval");

        // The order expires while held: it fails cleanly, and its attempt and change record close.
        jdbc.sql("update acme_orders set expires = :past where id = :id")
                .param("past", Timestamp.from(clock.instant().minusSeconds(1))).param("id", orderId).update();
        awaitCleanup(orderId);
        JsonNode expired = post(edge, order.location(), "").json();
        assertThat(expired.get("status").asString()).isEqualTo("invalid");
        assertThat(expired.get("error").get("type").asString()).isEqualTo("urn:ietf:params:acme:error:unauthorized");
        assertThat(expired.get("error").get("detail").asString()).contains("expired").contains("before its change was"
                + " approved");
        JsonNode attempt = latestAttempt(edge.managed());
        assertThat(attempt.get("state").asString()).isEqualTo("failed");
        assertThat(attempt.get("error").asString()).contains("expired");
        assertThat(delivery.get("/api/change-records/" + change.get("id").asString()).get("state").asString())
                .isEqualTo("cancelled");
        assertThat(jdbc.sql("select count(*) from acme_orders where id = :id and held_csr is not null")
                .param("id", orderId).query(Integer.class).single()).as("the CSR is not kept").isZero();
    }

    /** A token-profile managed certificate in its own organization, whose policy requires a change record. */
    private Edge gated(String organization, String name) throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        String org = organization + "-" + suffix;
        String managed = delivery.managedCertificate(organization + " " + suffix, "edge", List.of(name), org);
        Response policy = api.send("POST", "/api/renewal-policies", "{\"scope\":\"organization\",\"organization\":\""
                + org + "\",\"method\":\"internal\",\"autoRenew\":false,\"requireChangeRecord\":true}", ADMIN);
        assertThat(policy.status()).as(policy.body()).isEqualTo(201);
        JsonNode token = delivery.token(managed, "");
        KeyPair key = TestJws.newKeyPair("ES256");
        String url = acme.base() + "new-account";
        Reply account = acme.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(),
                url), json(Map.of("termsOfServiceAgreed", true, "externalAccountBinding", externalAccountBinding("HS256",
                        token.get("keyId").asString(), url, Base64.getUrlDecoder().decode(token.get("hmacKey")
                                .asString()), key.getPublic())))));
        assertThat(account.status()).as(account.body()).isEqualTo(201);
        return new Edge(managed, token, key, account.location());
    }

    private record Edge(String managed, JsonNode token, KeyPair key, String account) {
    }

    private static String accountId(Edge edge) {
        return edge.account().substring(edge.account().lastIndexOf('/') + 1);
    }

    private Reply newOrder(Edge edge, String... names) throws Exception {
        Reply order = post(edge, acme.base() + "new-order", RawAcme.order(names));
        assertThat(order.status()).as(order.body()).isEqualTo(201);
        assertThat(order.json().get("status").asString()).isEqualTo("ready");
        return order;
    }

    private Reply post(Edge edge, String url, String payload) throws Exception {
        Reply reply = acme.postUrl(url, sign(edge.key(), "ES256", kidHeader("ES256", edge.account(), acme.nonce(), url),
                payload));
        assertThat(reply.status()).as(reply.body()).isLessThan(500);
        return reply;
    }

    /** The managed certificate's pending change record, or null if there is none. */
    private JsonNode pendingChange(String managed) {
        return delivery.get("/api/change-records?state=pending&limit=500").valueStream()
                .filter(c -> c.get("managedCertificateId").asString().equals(managed)).findFirst().orElse(null);
    }

    private JsonNode latestAttempt(String managed) {
        return delivery.get("/api/managed-certificates/" + managed + "/renewals").get("attempts").get(0);
    }

    /** Runs the renewal sweep now (waiting while another sweep holds the lease). */
    private void sweep() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Response swept = api.send("POST", "/api/renewals/sweep", null, ADMIN);
            assertThat(swept.status()).as(swept.body()).isIn(200, 409);
            return swept.status() == 200;
        });
    }

    /**
     * Asks db-scheduler to run the interrupted-order cleanup now (it runs every minute by itself), until it has failed
     * that order.
     */
    private void awaitCleanup(String orderId) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            scheduler.reschedule(TaskInstanceId.of("acme-interrupted-order-cleanup", RecurringTask.INSTANCE),
                    Instant.now());
            return progress(orderId).equals("failed");
        });
    }

    private String progress(String orderId) {
        return jdbc.sql("select progress from acme_orders where id = :id").param("id", orderId).query(String.class)
                .single();
    }

    private static X509Certificate leaf(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    }
}
