package dev.certplane.renewal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.MutableClock;
import dev.certplane.support.RenewalApi;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;

/**
 * The renewal engine through its API on the built-in CA, with the injected clock moved instead of waiting: policies,
 * renew now (200, 202, 422, 409), the sweep and its window and concurrency limit, the backoff table, rollback, change
 * approval, alerts, and attempts a stopped replica left behind. Each test works in its own organization, whose
 * policy only it uses.
 */
@CertplaneIT
@TestPropertySource(properties = "certplane.renewal.runner-interval=1s")
class RenewalIT {

    private static final String PROFILE = "renewals";

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    RenewalApi renewal;

    @BeforeEach
    void client() {
        renewal = new RenewalApi(new ApiClient(port, certplane.caBundleFile()));
        renewal.profile(PROFILE, "90d");
    }

    @Test
    void policiesAreValidatedOnePerScopeAndAudited() {
        String bad = "/api/renewal-policies";
        assertThat(renewal.problem("POST", bad, "{\"method\":\"internal\"}", 400, renewal.admin()))
                .isEqualTo("scope is required: default or organization");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"organization\",\"method\":\"internal\"}", 400, renewal.admin()))
                .contains("scope organization needs organization");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"team\",\"method\":\"internal\"}", 400, renewal.admin()))
                .contains("scope must be default or organization (got 'team')");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"default\",\"method\":\"ad_cs\"}", 400, renewal.admin()))
                .contains("'ad_cs' is reserved");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"default\",\"method\":\"manual\",\"autoRenew\":true}", 400,
                renewal.admin())).contains("autoRenew cannot be enabled for method manual");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"default\",\"method\":\"none\",\"autoRenew\":true}", 400,
                renewal.admin())).contains("autoRenew cannot be enabled for method none");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"default\",\"method\":\"acme\"}", 400, renewal.admin()))
                .contains("method acme needs acmeIssuerId");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"default\",\"method\":\"acme\",\"acmeIssuerId\":\"nope\"}",
                400, renewal.admin())).contains("'nope' names none");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"default\",\"method\":\"internal\",\"acmeContact\":"
                + "\"a@b.example\"}", 400, renewal.admin())).contains("only apply to method acme");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"default\",\"method\":\"internal\",\"renewBeforeDays\":0}",
                400, renewal.admin())).contains("renewBeforeDays must be from 1 to 365 (got 0)");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"default\",\"method\":\"internal\",\"window\":\"weekly\"}",
                400, renewal.admin())).contains("window must be one of days, ari, lifetime");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"default\",\"method\":\"internal\","
                + "\"maxConcurrentRenewals\":0}", 400, renewal.admin())).contains("maxConcurrentRenewals must be from 1 to 1000");
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"default\",\"method\":\"internal\",\"renewBeforeDays\":"
                + "\"soon\"}", 400, renewal.admin())).contains("renewBeforeDays");

        String id = renewal.policy("\"scope\":\"organization\",\"organization\":\"Policy Org\",\"method\":\"internal\"");
        JsonNode created = renewal.get("/api/renewal-policies/" + id);
        assertThat(created.get("autoRenew").asBoolean()).isTrue();
        assertThat(created.get("renewBeforeDays").asInt()).isEqualTo(30);
        assertThat(created.get("maxConcurrentRenewals").asInt()).isEqualTo(5);
        assertThat(created.get("window").asString()).isEqualTo("days");
        assertThat(created.get("active").asBoolean()).isTrue();
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"organization\",\"organization\":\"policy org\","
                + "\"method\":\"manual\"}", 409, renewal.admin())).contains("has a renewal policy already");
        assertThat(renewal.problem("PUT", bad + "/" + id, "{\"scope\":\"default\",\"method\":\"internal\"}", 400, renewal.admin()))
                .contains("scope cannot be changed");
        Response changed = renewal.api().send("PUT", bad + "/" + id, "{\"method\":\"manual\"}", renewal.admin());
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("autoRenew").asBoolean()).isFalse();
        assertThat(changed.json().get("organization").asString()).isEqualTo("Policy Org");

        String viewer = renewal.user("policy-viewer", "certificates.view");
        assertThat(renewal.api().get(bad, viewer).status()).isEqualTo(200);
        assertThat(renewal.problem("POST", bad, "{\"scope\":\"default\",\"method\":\"internal\"}", 403, viewer))
                .isNotBlank();
        assertThat(renewal.api().get(bad, null).status()).isEqualTo(401);

        assertThat(renewal.api().send("DELETE", bad + "/" + id, null, renewal.admin()).status()).isEqualTo(204);
        assertThat(renewal.api().get(bad + "/" + id, renewal.admin()).status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String action : List.of("renewal-policy.created", "renewal-policy.updated", "renewal-policy.deleted")) {
                JsonNode events = renewal.get("/api/audit?action=" + action + "&target=renewal-policy:" + id);
                assertThat(events.get("total").asLong()).as(action).isEqualTo(1);
            }
        });
    }

    @Test
    void renewNowIssuesFromTheBuiltInCaAndSaysWhyItCannot() {
        renewal.policy("\"scope\":\"organization\",\"organization\":\"now-org\",\"method\":\"internal\"");
        String managed = renewal.managed("renew-now", "now-org", PROFILE, List.of("www.renewals.test",
                "api.renewals.test"));

        JsonNode first = renewal.renewed(managed);
        assertThat(first.get("newVersion").asInt()).isEqualTo(1);
        assertThat(absent(first, "oldVersion")).isTrue();
        assertThat(first.get("trigger").asString()).isEqualTo("manual");
        assertThat(first.get("requestedBy").asString()).isEqualTo("admin");
        JsonNode second = renewal.renewed(managed);
        assertThat(second.get("oldVersion").asInt()).isEqualTo(1);
        assertThat(second.get("newVersion").asInt()).isEqualTo(2);
        assertThat(Instant.parse(second.get("newNotAfter").asString()))
                .isAfterOrEqualTo(Instant.parse(second.get("oldNotAfter").asString()));
        assertThat(renewal.currentVersion(managed)).isEqualTo(2);
        JsonNode version = renewal.get("/api/managed-certificates/" + managed).get("current");
        assertThat(version.get("names").valueStream().map(JsonNode::asString).toList())
                .contains("www.renewals.test", "api.renewals.test");
        assertThat(version.get("source").asString()).isEqualTo("renewal");
        assertThat(version.get("reference").asString()).isEqualTo("renewal-attempt:" + second.get("id").asString());

        JsonNode history = renewal.history(managed);
        assertThat(history.get("attempts").valueStream().map(a -> a.get("id").asString()).toList())
                .containsExactly(second.get("id").asString(), first.get("id").asString());
        assertThat(history.get("policy").get("organization").asString()).isEqualTo("now-org");
        assertThat(absent(history, "nextRetryAt")).isTrue();

        // The same through the inventory certificate of the current version, and its issuer is no leaf.
        String leafId = renewal.get("/api/certificates?q=" + version.get("fingerprintSha256").asString())
                .get("items").get(0).get("id").asString();
        assertThat(renewal.get("/api/certificates/" + leafId + "/renewals").get("managedCertificateId").asString())
                .isEqualTo(managed);
        String caId = renewal.get("/api/certificates/" + leafId).get("certificate").get("issuerCertificateId").asString();
        assertThat(renewal.problem("POST", "/api/certificates/" + caId + "/renew", null, 422, renewal.admin()))
                .contains("is a CA certificate, not a leaf");
        assertThat(renewal.problem("POST", "/api/certificates/nothing-here/renew", null, 404, renewal.admin()))
                .contains("there is no certificate or managed certificate nothing-here");

        String orphan = renewal.managed("no-policy", "orphan-org", PROFILE, List.of("orphan.renewals.test"));
        assertThat(renewal.problem("POST", "/api/managed-certificates/" + orphan + "/renew", null, 422, renewal.admin()))
                .contains("no renewal policy applies to managed certificate 'no-policy' (organization 'orphan-org')");
        renewal.policy("\"scope\":\"organization\",\"organization\":\"manual-org\",\"method\":\"manual\"");
        String tracked = renewal.managed("manual-only", "manual-org", PROFILE, List.of("manual.renewals.test"));
        assertThat(renewal.problem("POST", "/api/managed-certificates/" + tracked + "/renew", null, 422, renewal.admin()))
                .contains("has method manual, which only tracks certificates");
        renewal.policy("\"scope\":\"organization\",\"organization\":\"none-org\",\"method\":\"none\"");
        String off = renewal.managed("never", "none-org", PROFILE, List.of("none.renewals.test"));
        assertThat(renewal.problem("POST", "/api/managed-certificates/" + off + "/renew", null, 422, renewal.admin()))
                .contains("has method none, which disables renewal dispatch");
        renewal.policy("\"scope\":\"organization\",\"organization\":\"idle-org\",\"method\":\"internal\","
                + "\"active\":false");
        String idle = renewal.managed("idle", "idle-org", PROFILE, List.of("idle.renewals.test"));
        assertThat(renewal.problem("POST", "/api/managed-certificates/" + idle + "/renew", null, 422, renewal.admin()))
                .contains("The policy of organization 'idle-org' is inactive");

        Response metrics = renewal.api().get("/actuator/prometheus", renewal.admin());
        assertThat(metrics.body())
                .containsPattern("certplane_renewal_attempts_total\\{[^}]*outcome=\"completed\"[^}]*\\} [1-9]");

        String viewer = renewal.user("renew-viewer", "certificates.view");
        assertThat(renewal.api().send("POST", "/api/managed-certificates/" + managed + "/renew", null, viewer)
                .status()).isEqualTo(403);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(renewal.get(
                "/api/audit?action=renewal.completed&target=renewal-attempt:" + second.get("id").asString())
                .get("total").asLong()).isEqualTo(1));
    }

    @Test
    void theSweepRenewsInsideTheWindowWithinTheConcurrencyLimit() {
        renewal.policy("\"scope\":\"organization\",\"organization\":\"sweep-org\",\"method\":\"internal\","
                + "\"renewBeforeDays\":30,\"maxConcurrentRenewals\":2");
        List<String> managed = List.of("a", "b", "c").stream().map(n -> renewal.managed("sweep-" + n, "sweep-org",
                PROFILE, List.of(n + ".sweep.renewals.test"))).toList();
        managed.forEach(renewal::renewed);

        renewal.sweep();
        managed.forEach(id -> assertThat(renewal.attempts(id)).hasSize(1));
        JsonNode history = renewal.history(managed.get(0));
        Instant windowStart = Instant.parse(history.get("windowStart").asString());
        Instant notAfter = Instant.parse(history.get("attempts").get(0).get("newNotAfter").asString());
        assertThat(windowStart).isEqualTo(notAfter.minus(Duration.ofDays(30)));

        clock.set(windowStart.plusSeconds(60));
        JsonNode sweep = renewal.sweep();
        assertThat(sweep.get("dispatched").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(sweep.get("deferred").asInt()).isGreaterThanOrEqualTo(1);
        List<String> renewedFirst = managed.stream().filter(id -> renewal.attempts(id).size() == 2).toList();
        assertThat(renewedFirst).hasSize(2);
        for (String id : renewedFirst) {
            JsonNode attempt = renewal.awaitState(renewal.attempts(id).get(0).get("id").asString(), "completed");
            assertThat(attempt.get("trigger").asString()).isEqualTo("sweep");
            assertThat(attempt.get("requestedBy").asString()).isEqualTo("system:renewal-sweep");
            assertThat(attempt.get("newVersion").asInt()).isEqualTo(2);
        }
        String left = managed.stream().filter(id -> !renewedFirst.contains(id)).findFirst().orElseThrow();
        renewal.sweep();
        assertThat(renewal.attempts(left)).hasSize(2);
        renewal.awaitState(renewal.attempts(left).get(0).get("id").asString(), "completed");
        renewal.sweep();
        managed.forEach(id -> assertThat(renewal.attempts(id)).as("renewed once each").hasSize(2));
        assertThat(renewal.get("/api/renewals/sweeps?limit=3").valueStream().map(s -> s.get("trigger").asString()))
                .containsOnly("manual");
    }

    @Test
    void failuresBackOffOneTwoFourEightThenSeventyTwoHoursAndRollBack() {
        renewal.profile("shrinking", "90d");
        renewal.policy("\"scope\":\"organization\",\"organization\":\"backoff-org\",\"method\":\"internal\","
                + "\"rollbackOnFailure\":true");
        String managed = renewal.managed("backoff", "backoff-org", "shrinking", List.of("www.shrinking.test"));
        JsonNode first = renewal.renewed(managed);
        Instant oldNotAfter = Instant.parse(first.get("newNotAfter").asString());
        // A profile whose certificates end before the one they would replace: every renewal is wrong.
        renewal.profile("shrinking", "5d");
        clock.set(oldNotAfter.minus(Duration.ofDays(25)));

        int versions = 1;
        List<Duration> expected = List.of(Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4),
                Duration.ofHours(8), Duration.ofHours(72), Duration.ofHours(72));
        for (int n = 1; n <= expected.size(); n++) {
            renewal.sweep();
            JsonNode attempt = renewal.awaitState(renewal.attempts(managed).get(0).get("id").asString(), "rolled_back");
            versions++;
            Instant now = clock.instant();
            assertThat(attempt.get("consecutiveFailures").asInt()).isEqualTo(n);
            assertThat(Instant.parse(attempt.get("nextRetryAt").asString())).isEqualTo(now.plus(expected.get(n - 1)));
            assertThat(attempt.get("error").asString()).contains("version " + versions + " expires at")
                    .contains("before the version it renews");
            assertThat(attempt.get("newVersion").asInt()).isEqualTo(versions);
            assertThat(attempt.get("rollbackNote").asString())
                    .isEqualTo("version 1 is current again in place of version " + versions);
            assertThat(renewal.currentVersion(managed)).isEqualTo(1);
            assertThat(renewal.history(managed).get("nextRetryAt").asString()).isEqualTo(attempt.get("nextRetryAt")
                    .asString());
            JsonNode alert = openRenewalAlert(managed);
            assertThat(alert.get("severity").asString()).isEqualToIgnoringCase("critical");

            clock.advance(expected.get(n - 1).minusSeconds(1));
            renewal.sweep();
            assertThat(renewal.attempts(managed)).as("no retry before the backoff ends").hasSize(n + 1);
            clock.advance(Duration.ofSeconds(1));
        }

        renewal.profile("shrinking", "90d");
        renewal.sweep();
        JsonNode fixed = renewal.awaitState(renewal.attempts(managed).get(0).get("id").asString(), "completed");
        assertThat(fixed.get("newVersion").asInt()).isEqualTo(versions + 1);
        assertThat(renewal.currentVersion(managed)).isEqualTo(versions + 1);
        assertThat(absent(renewal.history(managed), "nextRetryAt")).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(renewal.get(
                "/api/alerts?state=open&kind=certificate_renewal_failed&size=500").get("items").valueStream()
                .filter(a -> a.get("target").asString().equals("managed-certificate:" + managed))).isEmpty());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(renewal.get(
                "/api/audit?action=managed-certificate.version-restored&target=managed-certificate:" + managed)
                .get("total").asLong()).isEqualTo(expected.size()));
    }

    @Test
    void withoutRollbackAFailedRenewalLeavesTheNewVersionCurrent() {
        renewal.profile("fading", "90d");
        renewal.policy("\"scope\":\"organization\",\"organization\":\"keep-org\",\"method\":\"internal\"");
        String managed = renewal.managed("keep", "keep-org", "fading", List.of("www.fading.test"));
        Instant oldNotAfter = Instant.parse(renewal.renewed(managed).get("newNotAfter").asString());
        renewal.profile("fading", "5d");
        clock.set(oldNotAfter.minus(Duration.ofDays(20)));
        Response renew = renewal.renew(managed);
        JsonNode failed = renewal.awaitState(renew.json().get("attemptId").asString(), "failed");
        assertThat(absent(failed, "rollbackNote")).isTrue();
        assertThat(failed.get("consecutiveFailures").asInt()).isEqualTo(1);
        assertThat(renewal.currentVersion(managed)).isEqualTo(2);
        assertThat(openRenewalAlert(managed).get("message").asString()).contains("before the version it renews");
        renewal.profile("fading", "90d");
    }

    @Test
    void aChangeGatedRenewalWaitsForAnotherOperatorsApprovalAndTheNextSweep() {
        renewal.policy("\"scope\":\"organization\",\"organization\":\"change-org\",\"method\":\"internal\","
                + "\"requireChangeRecord\":true");
        String managed = renewal.managed("gated", "change-org", PROFILE, List.of("gated.renewals.test"));
        String approver = renewal.user("approver", "certificates.manage", "certificates.view");
        String viewer = renewal.user("change-viewer", "certificates.view");

        Response held = renewal.renew(managed);
        assertThat(held.status()).as(held.body()).isEqualTo(202);
        assertThat(held.json().get("state").asString()).isEqualTo("awaiting_change_approval");
        assertThat(held.json().get("message").asString()).startsWith("Renewal awaiting change approval (attempt ");
        String attemptId = held.json().get("attemptId").asString();
        String change = held.json().get("changeRecordId").asString();
        JsonNode record = renewal.get("/api/change-records/" + change);
        assertThat(record.get("state").asString()).isEqualTo("pending");
        assertThat(record.get("requestedBy").asString()).isEqualTo("admin");
        assertThat(record.get("summary").asString()).contains("gated").contains("gated.renewals.test");
        assertThat(renewal.get("/api/change-records?state=pending").valueStream().map(c -> c.get("id").asString()))
                .contains(change);
        assertThat(renewal.problem("POST", "/api/managed-certificates/" + managed + "/renew", null, 409, renewal.admin()))
                .contains("is awaiting_change_approval");

        assertThat(renewal.problem("POST", "/api/change-records/" + change + "/approve", "{}", 403, renewal.admin()))
                .contains("was requested by admin; another operator");
        assertThat(renewal.api().send("POST", "/api/change-records/" + change + "/approve", "{}", viewer).status())
                .isEqualTo(403);
        Response approved = renewal.api().send("POST", "/api/change-records/" + change + "/approve",
                "{\"note\":\"CAB 42\"}", approver);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().get("decidedBy").asString()).isEqualTo("approver");
        assertThat(renewal.problem("POST", "/api/change-records/" + change + "/reject", "{}", 409, approver))
                .contains("was approved already");
        assertThat(renewal.attempt(attemptId).get("state").asString()).as("approval alone dispatches nothing")
                .isEqualTo("awaiting_change_approval");

        JsonNode sweep = renewal.sweep();
        assertThat(sweep.get("approvedDispatched").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(renewal.awaitState(attemptId, "completed").get("newVersion").asInt()).isEqualTo(1);

        Response again = renewal.renew(managed);
        assertThat(again.status()).isEqualTo(202);
        String second = again.json().get("changeRecordId").asString();
        Response rejected = renewal.api().send("POST", "/api/change-records/" + second + "/reject",
                "{\"note\":\"freeze week\"}", approver);
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        JsonNode closed = renewal.attempt(again.json().get("attemptId").asString());
        assertThat(closed.get("state").asString()).isEqualTo("failed");
        assertThat(closed.get("error").asString()).contains("was rejected by approver: freeze week");
        assertThat(absent(closed, "nextRetryAt")).as("a rejection is no failure to back off from").isTrue();
        assertThat(renewal.currentVersion(managed)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(renewal.get("/api/audit?action=change-record.approved&target=change-record:" + change)
                    .get("items").get(0).get("actor").asString()).isEqualTo("approver");
            assertThat(renewal.get("/api/audit?action=change-record.rejected&target=change-record:" + second)
                    .get("total").asLong()).isEqualTo(1);
        });
    }

    @Test
    void anAttemptAStoppedReplicaLeftRunsAgainAndFailsCleanlyAfterThreeInterruptions() {
        renewal.policy("\"scope\":\"organization\",\"organization\":\"crash-org\",\"method\":\"internal\","
                + "\"requireChangeRecord\":true");
        String resumed = renewal.managed("crash-resume", "crash-org", PROFILE, List.of("resume.renewals.test"));
        String given = renewal.managed("crash-give-up", "crash-org", PROFILE, List.of("giveup.renewals.test"));
        // Held attempts do not run by themselves, so their rows can be put in the state a replica that stopped in
        // the middle of issuing leaves: claimed, with a lease that has run out.
        String first = renewal.renew(resumed).json().get("attemptId").asString();
        String second = renewal.renew(given).json().get("attemptId").asString();
        interrupt(first, 0);
        interrupt(second, 2);

        JsonNode done = renewal.awaitState(first, "completed");
        assertThat(done.get("newVersion").asInt()).isEqualTo(1);
        assertThat(jdbc.sql("select interruptions from renewal_attempts where id = ?").param(first).query(Integer.class)
                .single()).isEqualTo(1);
        JsonNode failed = renewal.awaitState(second, "failed");
        assertThat(failed.get("error").asString()).startsWith("interrupted 3 times");
        assertThat(absent(renewal.get("/api/managed-certificates/" + given), "current")).isTrue();
        assertThat(openRenewalAlert(given).get("message").asString()).contains("interrupted 3 times");
    }

    private void interrupt(String attemptId, int earlierInterruptions) {
        int updated = jdbc.sql("""
                update renewal_attempts set state = 'in_progress', started_at = ?, lease_until = ?, interruptions = ?
                where id = ? and state = 'awaiting_change_approval'
                """).params(java.sql.Timestamp.from(clock.instant()),
                java.sql.Timestamp.from(clock.instant().minusSeconds(1)), earlierInterruptions, attemptId).update();
        assertThat(updated).isEqualTo(1);
    }

    /** Null members are left out of API responses. */
    private static boolean absent(JsonNode node, String member) {
        return node.get(member) == null || node.get(member).isNull();
    }

    private JsonNode openRenewalAlert(String managedId) {
        return renewal.get("/api/alerts?state=open&kind=certificate_renewal_failed&size=500").get("items").valueStream()
                .filter(a -> a.get("target").asString().equals("managed-certificate:" + managedId)).findFirst()
                .orElseThrow(() -> new AssertionError("no open renewal alert for " + managedId));
    }
}
