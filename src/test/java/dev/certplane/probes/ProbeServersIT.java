package dev.certplane.probes;

import static dev.certplane.support.AcmeClients.freeLoopbackPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.certplane.acme.AcmeIT;
import dev.certplane.inventory.Inventory;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.Pem;
import dev.certplane.probes.ProbePki.Issued;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.HaproxyServer;
import dev.certplane.support.MutableClock;
import dev.certplane.support.NginxServer;
import dev.certplane.support.NginxServer.Site;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;

/**
 * Probes against Debian's nginx and HAProxy on loopback, each started by the test with its own configuration and
 * stopped by its PID: every classification, the reload gap (a new version is stale until nginx reloads, then the
 * confirmation the new version started confirms it), drift alerts that open and resolve, what the inventory learns,
 * scheduled probes, and a confirmation that runs out of time.
 */
@AcmeIT
class ProbeServersIT {

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

    DeliveryApi delivery;
    ProbesApi probes;

    @BeforeEach
    void setUp() {
        ApiClient api = new ApiClient(port, certplane.caBundleFile());
        delivery = new DeliveryApi(api);
        probes = new ProbesApi(api);
        if (pki == null) {
            pki = new ProbePki(clock.instant());
        }
    }

    @Test
    void nginxServingTheCurrentVersionIsOkAndANewVersionIsStaleUntilNginxReloads(@TempDir Path dir) {
        String name = "reload.probes.edge.test";
        String managed = delivery.managedCertificate("probe reload", "edge", List.of(name));
        Issued v1 = version(managed, name, days(-1), days(60));
        try (OneSite served = nginxServing(dir, name, v1)) {
            int nginxPort = served.port();
            String target = probes.target(nginxPort, name, managed);

            JsonNode ok = probes.probe(target);
            assertThat(ok.get("status").asString()).as(ok.toString()).isEqualTo("ok");
            assertThat(ok.get("cause").asString()).isEqualTo("manual");
            assertThat(ok.get("servedVersion").asInt()).isEqualTo(1);
            assertThat(ok.get("currentVersion").asInt()).isEqualTo(1);
            assertThat(ok.get("findings").isEmpty()).isTrue();
            assertThat(ok.get("trusted").asBoolean()).isTrue();
            assertThat(ok.get("protocol").asString()).isEqualTo("TLSv1.3");
            assertThat(ok.get("cipherSuite").asString()).startsWith("TLS_");
            assertThat(ok.get("ocspStapled").asBoolean()).isFalse();
            assertThat(ok.get("leafFingerprint").asString()).isEqualTo(Certificates.sha256Fingerprint(v1.leaf()));
            assertThat(strings(ok.get("chain"))).containsExactly(Certificates.sha256Fingerprint(v1.leaf()),
                    Certificates.sha256Fingerprint(pki.intermediate));
            // what the probe saw is in the inventory, at this endpoint, under the target's source
            JsonNode seen = probes.get("/api/certificates/" + inventoryId(v1));
            JsonNode endpoint = seen.get("endpoints").valueStream()
                    .filter(e -> e.get("source").asString().equals("probe:" + target)).findFirst().orElseThrow();
            assertThat(endpoint.get("port").asInt()).isEqualTo(nginxPort);
            assertThat(endpoint.get("sni").asString()).isEqualTo(name);
            assertThat(strings(seen.get("sources"))).contains("probe:" + target, "managed:" + managed);

            Issued v2 = version(managed, name, days(-1), days(90));
            served.install(v2);
            JsonNode stale = probes.probe(target);
            assertThat(stale.get("status").asString()).as(stale.toString()).isEqualTo("stale");
            assertThat(stale.get("servedVersion").asInt()).isEqualTo(1);
            assertThat(stale.get("currentVersion").asInt()).isEqualTo(2);
            assertThat(stale.get("findings").get(0).asString()).isEqualTo("serves version 1 of managed certificate"
                    + " 'probe reload', but version 2 is current: the server has not loaded it yet (reload it)");
            JsonNode drift = openAlert("probe-drift:" + target);
            assertThat(drift.get("kind").asString()).isEqualTo("probe_drift");
            assertThat(drift.get("severity").asString()).isEqualTo("high");
            assertThat(drift.get("title").asString()).isEqualTo("127.0.0.1:" + nginxPort + " (SNI " + name
                    + ") serves an older version of 'probe reload'");
            assertThat(probes.get("/api/probes/" + target).get("status").asString()).isEqualTo("stale");

            served.nginx().reload();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode reloaded = probes.probe(target);
                assertThat(reloaded.get("status").asString()).isEqualTo("ok");
                assertThat(reloaded.get("servedVersion").asInt()).isEqualTo(2);
            });
            assertThat(probes.alerts("probe-drift:" + target).get(0).get("state").asString()).isEqualTo("resolved");

            // the new version started a confirmation, which the endpoint serving it concluded
            JsonNode confirmation = await().atMost(Duration.ofSeconds(20)).until(
                    () -> probes.get("/api/managed-certificates/" + managed + "/confirmations").get(0),
                    c -> c.get("state").asString().equals("confirmed"));
            assertThat(confirmation.get("cause").asString()).isEqualTo("version");
            assertThat(confirmation.get("version").asInt()).isEqualTo(2);
            assertThat(confirmation.get("endpoints").get(0).get("state").asString()).isEqualTo("confirmed");
            assertThat(confirmation.get("endpoints").get(0).get("endpoint").asString()).isEqualTo("127.0.0.1:" + nginxPort);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode confirmed = probes.audit("probe.confirmation.confirmed", managed).get(0);
                assertThat(confirmed.get("details").get("message").asString())
                        .matches("version 2 confirmed served at 127\\.0\\.0\\.1:" + nginxPort + " at \\S+Z");
                assertThat(probes.audit("probe-target.status-changed", target).stream()
                        .map(e -> e.get("details").get("to").asString()).toList()).contains("ok", "stale");
            });
            List<String> history = probes.get("/api/probes/" + target + "/results").valueStream()
                    .map(r -> r.get("status").asString()).toList();
            assertThat(history.get(0)).isEqualTo("ok");
            assertThat(history).contains("stale");
        }
    }

    @Test
    void eachMisconfigurationOfNginxHasItsStatusAndAlert(@TempDir Path dir) {
        List<Site> sites = new ArrayList<>();
        List<String> targets = new ArrayList<>();

        String incompleteName = "incomplete.probes.edge.test";
        String incomplete = delivery.managedCertificate("probe incomplete", "edge", List.of(incompleteName));
        Issued incompleteVersion = version(incomplete, incompleteName, days(-1), days(60));
        sites.add(site(dir, "incomplete", List.of(incompleteVersion.leaf()), incompleteVersion));

        String mismatchName = "mismatch.probes.edge.test";
        String mismatch = delivery.managedCertificate("probe mismatch", "edge", List.of(mismatchName));
        version(mismatch, mismatchName, days(-1), days(60));
        Issued stranger = pki.leaf(List.of(mismatchName), days(-1), days(60));
        sites.add(site(dir, "mismatch", stranger.chain(), stranger));

        String hostName = "hostname.probes.edge.test";
        String hostname = delivery.managedCertificate("probe hostname", "edge", List.of(hostName));
        Issued hostnameVersion = version(hostname, hostName, days(-1), days(60));
        sites.add(site(dir, "hostname", hostnameVersion.chain(), hostnameVersion));

        String expiredName = "expired.probes.edge.test";
        String expired = delivery.managedCertificate("probe expired", "edge", List.of(expiredName));
        Issued expiredVersion = version(expired, expiredName, days(-90), days(-1));
        sites.add(site(dir, "expired", expiredVersion.chain(), expiredVersion));

        String stapledName = "stapled.probes.edge.test";
        String stapled = delivery.managedCertificate("probe stapled", "edge", List.of(stapledName));
        Issued stapledVersion = version(stapled, stapledName, days(-1), days(60));
        Site stapledSite = site(dir, "stapled", stapledVersion.chain(), stapledVersion);
        sites.add(new Site(stapledSite.port(), null, stapledSite.certificate(), stapledSite.key(),
                pki.writeGoodOcspResponse(dir.resolve("stapled.ocsp"), stapledVersion.leaf(), clock.instant())));

        try (NginxServer nginx = NginxServer.start(dir.resolve("nginx"), sites)) {
            targets.add(probes.target(sites.get(0).port(), incompleteName, incomplete));
            targets.add(probes.target(sites.get(1).port(), mismatchName, mismatch));
            targets.add(probes.target(sites.get(2).port(), "www." + hostName, hostname));
            targets.add(probes.target(sites.get(3).port(), expiredName, expired));
            targets.add(probes.target(sites.get(4).port(), stapledName, stapled));
            targets.add(probes.target(freeLoopbackPort(), "closed.probes.edge.test", stapled));

            JsonNode incompleteResult = probes.probe(targets.get(0));
            assertThat(incompleteResult.get("status").asString()).as(incompleteResult.toString())
                    .isEqualTo("incomplete_chain");
            assertThat(incompleteResult.get("findings").get(0).asString()).startsWith("the server does not send the"
                    + " issuer of " + incompleteName + " (CN=Probe IT Intermediate,O=Certplane Tests)");
            assertThat(incompleteResult.get("trusted").asBoolean()).isFalse();

            JsonNode mismatchResult = probes.probe(targets.get(1));
            assertThat(mismatchResult.get("status").asString()).isEqualTo("mismatch");
            assertThat(mismatchResult.has("servedVersion")).isFalse();
            assertThat(mismatchResult.get("findings").get(0).asString()).contains("which is not a version of managed"
                    + " certificate 'probe mismatch' (version 1 is current)");

            JsonNode hostnameResult = probes.probe(targets.get(2));
            assertThat(hostnameResult.get("status").asString()).isEqualTo("hostname_mismatch");
            assertThat(hostnameResult.get("findings").get(0).asString()).isEqualTo("the served certificate does not"
                    + " cover www." + hostName + "; it covers " + hostName);
            assertThat(hostnameResult.get("servedVersion").asInt()).isEqualTo(1);

            JsonNode expiredResult = probes.probe(targets.get(3));
            assertThat(expiredResult.get("status").asString()).isEqualTo("expired");
            assertThat(expiredResult.get("findings").get(0).asString())
                    .isEqualTo("the served certificate expired at " + expiredVersion.leaf().getNotAfter().toInstant());
            assertThat(expiredResult.get("trusted").asBoolean()).isFalse();

            JsonNode stapledResult = probes.probe(targets.get(4));
            assertThat(stapledResult.get("status").asString()).as(stapledResult.toString()).isEqualTo("ok");
            assertThat(stapledResult.get("ocspStapled").asBoolean()).isTrue();
            assertThat(stapledResult.get("ocspStatus").asString()).isEqualTo("good");

            JsonNode unreachable = probes.probe(targets.get(5));
            assertThat(unreachable.get("status").asString()).isEqualTo("unreachable");
            assertThat(unreachable.get("error").asString()).contains("Connection refused");
            assertThat(unreachable.has("leafFingerprint")).isFalse();

            Map<String, String> severities = Map.of(targets.get(0), "warning", targets.get(1), "critical",
                    targets.get(2), "high", targets.get(3), "critical", targets.get(5), "high");
            severities.forEach((target, severity) ->
                    assertThat(openAlert("probe-drift:" + target).get("severity").asString()).as(target).isEqualTo(severity));
            assertThat(probes.alerts("probe-drift:" + targets.get(4))).isEmpty();
            assertThat(probes.get("/api/probes?status=incomplete_chain&managedCertificateId=" + incomplete)
                    .get("total").asInt()).isEqualTo(1);
        }
    }

    @Test
    void haproxyServingTheCurrentVersionIsOkOnItsSchedule(@TempDir Path dir) {
        String name = "haproxy.probes.edge.test";
        String managed = delivery.managedCertificate("probe haproxy", "edge", List.of(name));
        Issued v1 = version(managed, name, days(-1), days(60));
        Path pem = ProbePki.writeChain(dir.resolve("site.pem"), v1.chain());
        appendKey(pem, v1);
        int haproxyPort = freeLoopbackPort();
        try (HaproxyServer haproxy = HaproxyServer.start(dir.resolve("haproxy"), haproxyPort, pem)) {
            // scheduled: due at once, so the next poll probes it without being asked
            String target = probes.create(Map.of("host", "127.0.0.1", "port", haproxyPort, "sni", name,
                    "managedCertificateId", managed, "intervalSeconds", 3600)).get("id").asString();
            JsonNode probed = await().atMost(Duration.ofSeconds(20)).until(() -> probes.get("/api/probes/" + target),
                    t -> t.has("lastResult"));
            JsonNode result = probed.get("lastResult");
            assertThat(result.get("status").asString()).as(result + "\n" + haproxy.log()).isEqualTo("ok");
            assertThat(result.get("cause").asString()).isEqualTo("scheduled");
            assertThat(result.get("servedVersion").asInt()).isEqualTo(1);
            assertThat(result.get("trusted").asBoolean()).isTrue();
            assertThat(probed.get("status").asString()).isEqualTo("ok");
            assertThat(Instant.parse(probed.get("nextProbeAt").asString()))
                    .isEqualTo(Instant.parse(result.get("probedAt").asString()).plusSeconds(3600));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    probes.audit("probe.poll.completed", "probes:poll")).anyMatch(e ->
                            e.get("details").path("ok").asInt(0) >= 1));
        }
    }

    @Test
    void aVersionTheEndpointNeverServesIsUnconfirmedWhenTheWindowEndsAndAlerts(@TempDir Path dir) {
        String name = "unconfirmed.probes.edge.test";
        String managed = delivery.managedCertificate("probe unconfirmed", "edge", List.of(name));
        Issued v1 = version(managed, name, days(-1), days(60));
        try (OneSite served = nginxServing(dir, name, v1)) {
            int nginxPort = served.port();
            String target = probes.target(nginxPort, name, managed);
            Issued v2 = version(managed, name, days(-1), days(90));
            JsonNode pending = await().atMost(Duration.ofSeconds(20)).until(
                    () -> probes.get("/api/managed-certificates/" + managed + "/confirmations").get(0),
                    c -> c.get("endpoints").get(0).get("attempts").asInt() >= 1);
            assertThat(pending.get("state").asString()).isEqualTo("pending");
            assertThat(pending.get("endpoints").get(0).get("lastStatus").asString()).isEqualTo("stale");
            assertThat(pending.get("endpoints").get(0).get("servedVersion").asInt()).isEqualTo(1);
            // confirmation probes do not open drift alerts: the reload gap is expected during the window
            assertThat(probes.alerts("probe-drift:" + target)).isEmpty();

            clock.advance(Duration.ofSeconds(61));
            try {
                JsonNode unconfirmed = await().atMost(Duration.ofSeconds(20)).until(
                        () -> probes.get("/api/managed-certificates/" + managed + "/confirmations").get(0),
                        c -> c.get("state").asString().equals("unconfirmed"));
                assertThat(unconfirmed.get("endpoints").get(0).get("state").asString()).isEqualTo("unconfirmed");
                JsonNode alert = openAlert("probe-confirmation:" + target);
                assertThat(alert.get("kind").asString()).isEqualTo("probe_confirmation");
                assertThat(alert.get("title").asString()).isEqualTo("Version 2 of 'probe unconfirmed' is not served"
                        + " at 127.0.0.1:" + nginxPort + " (SNI " + name + ")");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    JsonNode event = probes.audit("probe.confirmation.unconfirmed", managed).get(0);
                    assertThat(event.get("outcome").asString()).isEqualTo("FAILURE");
                    assertThat(event.get("details").get("message").asString()).startsWith("version 2 not confirmed"
                            + " served at 127.0.0.1:" + nginxPort + " by ").contains("serves version 1");
                });
            } finally {
                clock.advance(Duration.ofSeconds(-61));
            }

            served.install(v2);
            served.nginx().reload();
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(probes.probe(target).get("status").asString()).isEqualTo("ok"));
            assertThat(probes.alerts("probe-confirmation:" + target).get(0).get("state").asString())
                    .isEqualTo("resolved");
        }
    }

    /** nginx serving one site for {@code name} from files the test rewrites to put a new version in place. */
    private record OneSite(NginxServer nginx, Site site) implements AutoCloseable {

        int port() {
            return site.port();
        }

        /** Writes the version's chain and key where nginx reads them; nginx serves them once it reloads. */
        void install(Issued issued) {
            ProbePki.writeChain(site.certificate(), issued.chain());
            ProbePki.writeKey(site.key(), issued.key());
        }

        @Override
        public void close() {
            nginx.close();
        }
    }

    private static OneSite nginxServing(Path dir, String name, Issued issued) {
        Site site = new Site(freeLoopbackPort(), name, ProbePki.writeChain(dir.resolve("site.pem"), issued.chain()),
                ProbePki.writeKey(dir.resolve("site.key"), issued.key()), null);
        return new OneSite(NginxServer.start(dir.resolve("nginx"), List.of(site)), site);
    }

    /** Records a new version of the managed certificate, as an issuance does, issued by the test CA. */
    private Issued version(String managed, String name, Instant notBefore, Instant notAfter) {
        Issued issued = pki.leaf(List.of(name), notBefore, notAfter);
        certificates.addVersion(managed, issued.chainWithRoot(), "test", "probe-it", "test");
        return issued;
    }

    private Site site(Path dir, String name, List<X509Certificate> chain, Issued issued) {
        return Site.of(freeLoopbackPort(), ProbePki.writeChain(dir.resolve(name + ".pem"), chain),
                ProbePki.writeKey(dir.resolve(name + ".key"), issued.key()));
    }

    private String inventoryId(Issued issued) {
        return inventory.findByFingerprint(Certificates.sha256Fingerprint(issued.leaf())).orElseThrow().id();
    }

    private JsonNode openAlert(String key) {
        List<JsonNode> alerts = probes.alerts(key);
        assertThat(alerts).as("alerts under " + key).isNotEmpty();
        assertThat(alerts.get(0).get("state").asString()).isEqualTo("open");
        return alerts.get(0);
    }

    private Instant days(long days) {
        return clock.instant().plusSeconds(days * 86400);
    }

    private static void appendKey(Path pem, Issued issued) {
        try {
            Files.writeString(pem, Pem.encodePrivateKey(issued.key()), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}
