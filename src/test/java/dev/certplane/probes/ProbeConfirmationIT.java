package dev.certplane.probes;

import static dev.certplane.support.AcmeClients.freeLoopbackPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import dev.certplane.acme.AcmeIT;
import dev.certplane.pki.Certificates;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.AcmeClients;
import dev.certplane.support.ApiClient;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.NginxServer;
import dev.certplane.support.NginxServer.Site;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;

/**
 * The loop closed end to end: an unmodified certbot holding a certificate token renews into the files nginx serves,
 * its deploy hook reloads nginx, and the confirmation the delivery started sees the new certificate served; the
 * delivery shows it and the audit trail says so.
 */
@AcmeIT
class ProbeConfirmationIT {

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    DeliveryApi delivery;
    ProbesApi probes;

    @BeforeEach
    void setUp() {
        ApiClient api = new ApiClient(port, certplane.caBundleFile());
        delivery = new DeliveryApi(api);
        probes = new ProbesApi(api);
    }

    @Test
    void certbotRenewsIntoNginxItsDeployHookReloadsAndTheDeliveryShowsTheNewVersionConfirmedServed(@TempDir Path work) {
        String name = "certbot.probes.edge.test";
        String managed = delivery.managedCertificate("probe certbot nginx", "edge", List.of(name));
        JsonNode token = delivery.token(managed, "");
        var certbot = AcmeClients.certbot(token.get("directoryUrl").asString(), certplane.caBundleFile(),
                work.resolve("certbot")).withEab(DeliveryApi.eab(token));
        certbot.certonly("web", List.of(name));
        X509Certificate first = certbot.issued("web");
        int nginxPort = freeLoopbackPort();
        try (NginxServer nginx = NginxServer.start(work.resolve("nginx"),
                List.of(new Site(nginxPort, name, certbot.fullchain("web"), certbot.privateKey("web"), null)))) {
            String target = probes.target(nginxPort, name, managed);
            JsonNode before = probes.probe(target);
            assertThat(before.get("status").asString()).as(before.toString()).isEqualTo("ok");
            assertThat(before.get("servedVersion").asInt()).isEqualTo(1);
            assertThat(before.get("leafFingerprint").asString()).isEqualTo(Certificates.sha256Fingerprint(first));
            assertThat(before.get("trusted").asBoolean()).isTrue();

            certbot.run(List.of("renew", "--cert-name", "web", "--force-renewal", "--no-random-sleep-on-renew",
                    "--deploy-hook", nginx.reloadCommand()));
            String renewed = Certificates.sha256Fingerprint(certbot.issued("web"));
            assertThat(renewed).isNotEqualTo(Certificates.sha256Fingerprint(first));

            JsonNode delivered = await().atMost(Duration.ofSeconds(30)).until(
                    () -> delivery.get("/api/managed-certificates/" + managed + "/deliveries").get(0),
                    d -> d.path("confirmation").path("state").asString("").equals("confirmed"));
            assertThat(delivered.get("version").asInt()).isEqualTo(2);
            assertThat(delivered.get("fingerprintSha256").asString()).isEqualTo(renewed);
            JsonNode confirmation = delivered.get("confirmation");
            assertThat(confirmation.get("version").asInt()).isEqualTo(2);
            JsonNode endpoint = confirmation.get("endpoints").get(0);
            assertThat(endpoint.get("probeTargetId").asString()).isEqualTo(target);
            assertThat(endpoint.get("endpoint").asString()).isEqualTo("127.0.0.1:" + nginxPort);
            assertThat(endpoint.get("sni").asString()).isEqualTo(name);
            assertThat(endpoint.get("state").asString()).isEqualTo("confirmed");
            assertThat(endpoint.get("servedVersion").asInt()).isEqualTo(2);
            assertThat(endpoint.get("concludedAt").asString()).isNotBlank();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode event = probes.audit("probe.confirmation.confirmed", managed).stream()
                        .filter(e -> e.get("details").get("reference").asString().equals(delivered.get("id").asString()))
                        .findFirst().orElseThrow();
                assertThat(event.get("outcome").asString()).isEqualTo("SUCCESS");
                assertThat(event.get("details").get("cause").asString()).isEqualTo("delivery");
                assertThat(event.get("details").get("message").asString()).isEqualTo("version 2 confirmed served at"
                        + " 127.0.0.1:" + nginxPort + " at " + event.get("details").get("servedAt").asString());
            });
            JsonNode after = probes.probe(target);
            assertThat(after.get("status").asString()).isEqualTo("ok");
            assertThat(after.get("servedVersion").asInt()).isEqualTo(2);
            assertThat(after.get("leafFingerprint").asString()).isEqualTo(renewed);
            // the new version's own confirmation, started at finalize, ends the same way
            assertThat(probes.get("/api/managed-certificates/" + managed + "/confirmations").valueStream()
                    .filter(c -> c.get("cause").asString().equals("version")).findFirst().orElseThrow()
                    .get("state").asString()).isEqualTo("confirmed");
        }
    }
}
