package dev.certplane.inventory;

import static dev.certplane.support.ApiClient.basic;
import static dev.certplane.support.DeliveryApi.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.ExtendedKeyUsage;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Serials;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.MutableClock;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

/**
 * The expiry loop end to end: real certificates recorded through the inventory, the loop started through the
 * API and observed through its audit event, statuses, ratings and alerts read back through the API as the clock
 * moves.
 */
@CertplaneIT
class ExpiryLoopIT {

    private static final KeyPair CA_KEYS = KeyType.EC_P256.generate();
    private static final KeyPair LEAF_KEYS = KeyType.EC_P256.generate();
    private static final String COMPLETED = "inventory.expiry-loop.completed";

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    Inventory inventory;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;
    DeliveryApi admin;

    @BeforeEach
    void clients() {
        api = new ApiClient(port, certplane.caBundleFile());
        admin = new DeliveryApi(api);
    }

    @Test
    void statusesRatingsAndAlertsFollowTheClockWithoutDuplicates() {
        Instant now = clock.instant();
        X509Certificate ca = ca("CN=Expiry Loop CA,O=Certplane Tests", now.minus(Duration.ofDays(400)),
                now.plus(Duration.ofDays(5)));
        String caId = record(ca);
        String in40 = record(leaf("in40.expiry.test", now.plus(Duration.ofDays(40)), ca), ca);
        String in20 = record(leaf("in20.expiry.test", now.plus(Duration.ofDays(20)), ca), ca);
        String in5 = record(leaf("in5.expiry.test", now.plus(Duration.ofDays(5)), ca), ca);
        String ago3 = record(leaf("ago3.expiry.test", now.minus(Duration.ofDays(3)), ca), ca);
        // Stored statuses gone wrong outside the actionable range: the loop corrects them through the status index.
        String far = record(leaf("far.expiry.test", now.plus(Duration.ofDays(200)), ca), ca);
        String old = record(leaf("old.expiry.test", now.minus(Duration.ofDays(100)), ca), ca);
        setStatus(far, "expiring");
        setStatus(old, "valid");
        assertThat(status(caId)).isEqualTo("expiring");

        JsonNode first = runLoop();
        assertThat(first.get("outOfRangeCorrected").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(first.get("alertsOpened").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(first.get("durationMs").asLong()).isNotNegative();
        assertThat(Map.of(in40, status(in40), in20, status(in20), in5, status(in5), ago3, status(ago3), far,
                status(far), old, status(old), caId, status(caId))).containsExactlyInAnyOrderEntriesOf(Map.of(
                in40, "valid", in20, "expiring_soon", in5, "expiring", ago3, "expired", far, "valid", old, "expired",
                caId, "expiring"));
        assertThat(certificate(in20).get("rating").asString()).isEqualTo("A");
        Map<String, JsonNode> alerts = openExpiryAlerts();
        assertThat(severities(alerts, in40, in20, in5, ago3, far, old, caId)).containsExactlyInAnyOrderEntriesOf(Map.of(
                in20, "warning", in5, "high", ago3, "critical", old, "critical"));
        JsonNode in20Alert = alerts.get(in20);
        assertThat(in20Alert.get("key").asString()).isEqualTo("certificate-expiry:" + in20);
        assertThat(in20Alert.get("message").asString()).contains("CN=in20.expiry.test", "in20.expiry.test",
                "expires on " + Instant.parse(in20Alert.get("details").get("notAfter").asString()));
        assertThat(admin.get("/api/alerts/" + in20Alert.get("id").asString()).get("state").asString()).isEqualTo("open");

        JsonNode second = runLoop();
        assertThat(second.get("alertsOpened").asInt()).isZero();
        assertThat(second.get("alertsUpdated").asInt()).isZero();
        assertThat(openExpiryAlerts().keySet()).containsAll(Set.of(in20, in5, ago3, old));
        for (String id : List.of(in20, in5, ago3, old)) {
            assertThat(alertsOf(id)).as(id).hasSize(1);
        }

        clock.advance(Duration.ofDays(21));
        JsonNode third = runLoop();
        assertThat(third.get("statusChanged").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(Map.of(in40, status(in40), in20, status(in20), in5, status(in5), caId, status(caId)))
                .containsExactlyInAnyOrderEntriesOf(Map.of(in40, "expiring_soon", in20, "expired", in5, "expired",
                        caId, "expired"));
        JsonNode expired = certificate(in20);
        assertThat(expired.get("rating").asString()).isEqualTo("F");
        assertThat(expired.get("ratingReasons").toString()).contains("expired on");
        alerts = openExpiryAlerts();
        assertThat(severities(alerts, in40, in20, in5, ago3, far, old, caId)).containsExactlyInAnyOrderEntriesOf(Map.of(
                in40, "warning", in20, "critical", in5, "critical", ago3, "critical", old, "critical"));
        assertThat(alerts.get(in20).get("id").asString()).isEqualTo(in20Alert.get("id").asString());
        assertThat(alerts.get(in20).get("title").asString()).startsWith("Certificate expired");
        assertThat(alertsOf(in20)).hasSize(1);
        assertThat(admin.audit("alert.updated", in20Alert.get("id").asString())).hasSize(1);
        statsAgreeWithTheList();

        jdbc.sql("update inv_certificates set stale = true where id = :id").param("id", in40).update();
        JsonNode fourth = runLoop();
        assertThat(fourth.get("alertsResolved").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(openExpiryAlerts()).doesNotContainKey(in40);
        List<JsonNode> resolved = admin.get("/api/alerts?state=resolved&kind=certificate_expiry&size=500").get("items")
                .valueStream().filter(a -> a.get("target").asString().equals("certificate:" + in40)).toList();
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).get("resolution").asString()).startsWith("stale");
        assertThat(resolved.get(0).get("resolvedAt").isNull()).isFalse();
    }

    @Test
    void onlyManagersStartTheLoopAndBadQueriesAreProblems() {
        user("expiry-viewer", "certificates.view");
        user("expiry-manager", "certificates.manage");
        String viewer = basic("expiry-viewer", "expiry-viewer-long-password");
        String manager = basic("expiry-manager", "expiry-manager-long-password");
        assertThat(api.send("POST", "/api/certificates/expiry-check", null, viewer).status()).isEqualTo(403);
        assertThat(api.send("POST", "/api/certificates/expiry-check", null, null).status()).isEqualTo(401);
        assertThat(api.get("/api/alerts", viewer).status()).isEqualTo(200);
        int before = admin.audit(COMPLETED, "inventory:expiry-loop").size();
        Response started = api.send("POST", "/api/certificates/expiry-check", null, manager);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        assertThat(started.json().get("task").asString()).isEqualTo("inventory-expiry-loop");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> admin.audit(COMPLETED, "inventory:expiry-loop").size() > before);
        assertThat(admin.audit("inventory.expiry-check.requested", "inventory:expiry-loop").get(0).get("actor")
                .asString()).isEqualTo("expiry-manager");

        assertThat(problem("/api/alerts?state=closed", 400)).contains("use open or resolved");
        assertThat(problem("/api/alerts?size=501", 400)).contains("size 1 to 500");
        assertThat(problem("/api/alerts/nope", 404)).contains("no alert nope");
        assertThat(admin.get("/api/alerts?page=99999999&size=500").get("items").size()).isZero();
    }

    /** Starts the loop through the API and returns the details of the run's completion event. */
    private JsonNode runLoop() {
        int before = admin.audit(COMPLETED, "inventory:expiry-loop").size();
        Response started = api.send("POST", "/api/certificates/expiry-check", null, ADMIN);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> admin.audit(COMPLETED, "inventory:expiry-loop").size() > before);
        return admin.audit(COMPLETED, "inventory:expiry-loop").get(0).get("details");
    }

    private void statsAgreeWithTheList() {
        JsonNode stats = admin.get("/api/certificates/stats");
        long sum = 0;
        for (Map.Entry<String, String> entry : Map.of("valid", "valid", "expiringSoon", "expiring_soon", "expiring",
                "expiring", "expired", "expired", "revoked", "revoked").entrySet()) {
            long listed = admin.get("/api/certificates?size=1&status=" + entry.getValue()).get("total").asLong();
            assertThat(stats.get(entry.getKey()).asLong()).as(entry.getKey()).isEqualTo(listed);
            sum += listed;
        }
        assertThat(stats.get("total").asLong()).isEqualTo(sum)
                .isEqualTo(admin.get("/api/certificates?size=1").get("total").asLong());
    }

    /** Open certificate-expiry alerts by certificate id. */
    private Map<String, JsonNode> openExpiryAlerts() {
        return admin.get("/api/alerts?state=open&kind=certificate_expiry&size=500").get("items").valueStream()
                .collect(Collectors.toMap(a -> a.get("target").asString().substring("certificate:".length()), a -> a));
    }

    private static Map<String, String> severities(Map<String, JsonNode> alerts, String... ids) {
        return Set.of(ids).stream().filter(alerts::containsKey)
                .collect(Collectors.toMap(id -> id, id -> alerts.get(id).get("severity").asString()));
    }

    /** Every alert, open or resolved, about one certificate. */
    private List<JsonNode> alertsOf(String certificateId) {
        return admin.get("/api/alerts?kind=certificate_expiry&size=500").get("items").valueStream()
                .filter(a -> a.get("target").asString().equals("certificate:" + certificateId)).toList();
    }

    /** The stored status; the detail has the record's enum constant, so it is compared in wire form. */
    private String status(String id) {
        return certificate(id).get("status").asString().toLowerCase(Locale.ROOT);
    }

    private JsonNode certificate(String id) {
        return admin.get("/api/certificates/" + id).get("certificate");
    }

    private void setStatus(String id, String status) {
        jdbc.sql("update inv_certificates set status = :status where id = :id").param("status", status)
                .param("id", id).update();
    }

    private String record(X509Certificate... chain) {
        return inventory.record(List.of(chain), "imported", "test:expiry-loop", null).certificate().id();
    }

    private static X509Certificate ca(String subject, Instant notBefore, Instant notAfter) {
        return CertificateSigner.sign(new CertificateSpec(subject, CA_KEYS.getPublic(), Serials.random(), notBefore,
                notAfter, true, 0, Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN), List.of(), List.of(),
                List.of(), null, null, null), null, CA_KEYS.getPrivate());
    }

    private static X509Certificate leaf(String name, Instant notAfter, X509Certificate issuer) {
        Instant notBefore = notAfter.minus(Duration.ofDays(90));
        return CertificateSigner.sign(new CertificateSpec("CN=" + name, LEAF_KEYS.getPublic(), Serials.random(),
                notBefore, notAfter, false, null, Set.of(KeyUsageBit.DIGITAL_SIGNATURE),
                List.of(ExtendedKeyUsage.SERVER_AUTH), List.of(name), List.of(), null, null, null), issuer,
                CA_KEYS.getPrivate());
    }

    private void user(String name, String permission) {
        Response created = api.send("POST", "/api/users", "{\"username\":\"" + name + "\",\"password\":\"" + name
                + "-long-password\",\"permissions\":[\"" + permission + "\"]}", ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private String problem(String path, int status) {
        Response response = api.get(path, ADMIN);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return response.json().get("detail").asString();
    }
}
