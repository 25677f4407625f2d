package dev.certplane.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import dev.certplane.acme.AcmeIT;
import dev.certplane.pki.Certificates;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.AcmeClients;
import dev.certplane.support.AcmeClients.Eab;
import dev.certplane.support.ApiClient;
import dev.certplane.support.DeliveryApi;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;

/**
 * Unmodified certbot and lego holding only a certificate token (EAB key id and HMAC key): they obtain exactly
 * the managed certificate's names, are refused anything else, renew into a new version, and stop working the
 * moment the token is revoked; every step shows in the deliveries API and the audit trail.
 */
@AcmeIT
class CertificateTokenClientsIT {

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    DeliveryApi api;

    @BeforeEach
    void client() {
        api = new DeliveryApi(new ApiClient(port, certplane.caBundleFile()));
    }

    @Test
    void certbotWithATokenGetsItsCertificateRenewsIntoANewVersionAndStopsWhenRevoked(@TempDir Path work)
            throws Exception {
        String managed = api.managedCertificate("web-certbot", "edge", List.of("certbot.edge.test", "www.certbot.edge.test"));
        JsonNode token = api.token(managed, "");
        String directory = token.get("directoryUrl").asString();
        assertThat(directory).isEqualTo("https://localhost:" + port + "/acme/edge/directory");
        Eab eab = DeliveryApi.eab(token);

        var withoutToken = AcmeClients.certbot(directory, certplane.caBundleFile(), work.resolve("plain"));
        var refused = withoutToken.attempt(List.of("certonly", "--cert-name", "web", "--manual",
                "--preferred-challenges", "http-01", "--manual-auth-hook", "true", "-d", "certbot.edge.test"));
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.output().toLowerCase()).contains("external account binding");

        var certbot = AcmeClients.certbot(directory, certplane.caBundleFile(), work.resolve("edge")).withEab(eab);
        certbot.certonly("web", List.of("certbot.edge.test", "www.certbot.edge.test"));
        X509Certificate first = certbot.issued("web");
        assertThat(AcmeClients.dnsNames(first)).containsExactlyInAnyOrder("certbot.edge.test", "www.certbot.edge.test");
        JsonNode afterFirst = api.get("/api/managed-certificates/" + managed);
        assertThat(afterFirst.get("current").get("version").asInt()).isEqualTo(1);
        assertThat(afterFirst.get("current").get("fingerprintSha256").asString())
                .isEqualTo(Certificates.sha256Fingerprint(first));

        var outside = certbot.attempt(List.of("certonly", "--cert-name", "other", "--manual", "--preferred-challenges",
                "http-01", "--manual-auth-hook", "true", "-d", "other.edge.test"));
        assertThat(outside.succeeded()).isFalse();
        assertThat(outside.output()).contains("rejectedIdentifier")
                .contains("other.edge.test is outside the scope of certificate token " + eab.kid());
        assertThat(Files.exists(certbot.certificate("other"))).isFalse();

        certbot.renew("web");
        X509Certificate second = certbot.issued("web");
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        JsonNode versions = api.get("/api/managed-certificates/" + managed + "/versions");
        assertThat(versions.valueStream().map(v -> v.get("version").asInt()).toList()).containsExactly(2, 1);
        assertThat(versions.get(0).get("fingerprintSha256").asString()).isEqualTo(Certificates.sha256Fingerprint(second));
        assertThat(versions.get(0).get("current").asBoolean()).isTrue();
        assertThat(versions.get(0).get("source").asString()).isEqualTo("acme-server");

        JsonNode deliveries = api.get("/api/managed-certificates/" + managed + "/deliveries");
        assertThat(deliveries.valueStream().map(d -> d.get("version").asInt()).toList()).containsExactly(2, 1);
        for (JsonNode delivery : deliveries) {
            assertThat(delivery.get("keyId").asString()).isEqualTo(eab.kid());
            assertThat(delivery.get("accountId").asString()).isNotBlank();
            assertThat(delivery.get("clientIp").asString()).isEqualTo("127.0.0.1");
            assertThat(delivery.get("userAgent").asString()).contains("CertbotACMEClient");
        }

        assertEvidence(token, managed, "CertbotACMEClient");

        api.revoke(token);
        var afterRevoke = certbot.attempt(List.of("renew", "--cert-name", "web", "--force-renewal",
                "--no-random-sleep-on-renew"));
        assertThat(afterRevoke.succeeded()).isFalse();
        assertThat(afterRevoke.output()).contains("certificate token " + eab.kid() + " was revoked at");
        assertThat(api.get("/api/managed-certificates/" + managed).get("versions").asInt()).isEqualTo(2);
    }

    @Test
    void legoWithATokenGetsItsCertificateIsRefusedOutsideItAndRenews(@TempDir Path work) throws Exception {
        String managed = api.managedCertificate("api-lego", "edge", List.of("lego.edge.test"));
        JsonNode token = api.token(managed, ",\"maxAccounts\":1");
        Eab eab = DeliveryApi.eab(token);
        String directory = token.get("directoryUrl").asString();

        var wrongKey = AcmeClients.lego(directory, certplane.caBundleFile(), work.resolve("wrong"))
                .withEab(new Eab(eab.kid(), "AAAA" + eab.hmacKeyBase64Url().substring(4)));
        var badMac = wrongKey.attempt(List.of("lego.edge.test"), List.of("run"));
        assertThat(badMac.succeeded()).isFalse();
        assertThat(badMac.output()).contains("MAC does not verify");

        var lego = AcmeClients.lego(directory, certplane.caBundleFile(), work.resolve("edge")).withEab(eab);
        lego.run(List.of("lego.edge.test"));
        X509Certificate first = lego.issued("lego.edge.test");
        assertThat(AcmeClients.dnsNames(first)).containsExactly("lego.edge.test");

        var outside = lego.attempt(List.of("lego.edge.test", "admin.edge.test"), List.of("run"));
        assertThat(outside.succeeded()).isFalse();
        assertThat(outside.output()).contains("admin.edge.test is outside the scope of certificate token " + eab.kid());

        var secondAccount = AcmeClients.lego(directory, certplane.caBundleFile(), work.resolve("second")).withEab(eab)
                .withEmail("other@example.com");
        var limit = secondAccount.attempt(List.of("lego.edge.test"), List.of("run"));
        assertThat(limit.succeeded()).isFalse();
        assertThat(limit.output()).contains("allows 1 ACME account and that many are bound already");

        lego.renew(List.of("lego.edge.test"));
        X509Certificate second = lego.issued("lego.edge.test");
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        JsonNode current = api.get("/api/managed-certificates/" + managed).get("current");
        assertThat(current.get("version").asInt()).isEqualTo(2);
        assertThat(current.get("fingerprintSha256").asString()).isEqualTo(Certificates.sha256Fingerprint(second));
        JsonNode deliveries = api.get("/api/managed-certificates/" + managed + "/deliveries");
        assertThat(deliveries.get(0).get("version").asInt()).as(deliveries.toString()).isEqualTo(2);
        assertThat(deliveries.get(0).get("userAgent").asString()).contains("lego");

        assertEvidence(token, managed, "lego");

        api.revoke(token);
        var afterRevoke = lego.attempt(List.of("lego.edge.test"), List.of("renew", "--days", "9999", "--no-random-sleep"));
        assertThat(afterRevoke.succeeded()).isFalse();
        assertThat(afterRevoke.output()).contains("was revoked at");
    }

    @Test
    void dehydratedAndCaddyWithTokensGetExactlyTheirCertificates(@TempDir Path work) throws Exception {
        String shell = api.managedCertificate("shell-dehydrated", "edge", List.of("dehydrated.edge.test"));
        JsonNode shellToken = api.token(shell, "");
        var dehydrated = AcmeClients.dehydrated(shellToken.get("directoryUrl").asString(), certplane.caBundleFile(),
                work.resolve("dehydrated")).withEab(DeliveryApi.eab(shellToken));
        dehydrated.register();
        dehydrated.issue("shell", List.of("dehydrated.edge.test"));
        X509Certificate issued = dehydrated.issued("shell");
        assertThat(AcmeClients.dnsNames(issued)).containsExactly("dehydrated.edge.test");
        var outside = dehydrated.attempt(List.of("--cron", "--accept-terms", "--alias", "other", "--challenge",
                "http-01", "--domain", "caddy.edge.test"));
        assertThat(outside.succeeded()).isFalse();
        assertThat(outside.output()).contains("caddy.edge.test is outside the scope of certificate token");
        assertThat(api.get("/api/managed-certificates/" + shell).get("current").get("fingerprintSha256").asString())
                .isEqualTo(Certificates.sha256Fingerprint(issued));

        String site = api.managedCertificate("site-caddy", "edge", List.of("caddy.edge.test"));
        JsonNode siteToken = api.token(site, "");
        try (var caddy = AcmeClients.caddy(siteToken.get("directoryUrl").asString(), certplane.caBundleFile(),
                work.resolve("caddy")).withEab(DeliveryApi.eab(siteToken)).serve("caddy.edge.test")) {
            var served = caddy.awaitServed();
            assertThat(AcmeClients.dnsNames(served.leaf())).containsExactly("caddy.edge.test");
            JsonNode current = api.get("/api/managed-certificates/" + site).get("current");
            assertThat(current.get("fingerprintSha256").asString()).isEqualTo(Certificates.sha256Fingerprint(served.leaf()));
            JsonNode delivered = api.get("/api/managed-certificates/" + site + "/deliveries").get(0);
            assertThat(delivered.get("version").asInt()).isEqualTo(1);
            assertThat(delivered.get("userAgent").asString()).containsIgnoringCase("caddy");
        }
    }

    /** Token creation, binding, order, finalize with the version, download with the version: all audited. */
    private void assertEvidence(JsonNode token, String managed, String userAgent) {
        String tokenId = token.get("token").get("id").asString();
        String kid = token.get("keyId").asString();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(api.audit("certificate-token.created", tokenId)).hasSize(1);
            JsonNode bound = api.audit("certificate-token.bound", tokenId).stream()
                    .filter(e -> e.get("outcome").asString().equalsIgnoreCase("success")).findFirst().orElseThrow();
            assertThat(bound.get("details").get("clientIp").asString()).isEqualTo("127.0.0.1");
            assertThat(bound.get("details").get("userAgent").asString()).contains(userAgent);
            assertThat(bound.get("actor").asString()).startsWith("acme-account:");
            List<JsonNode> finalized = api.audit("acme.order.finalized", "acme-order:").stream()
                    .filter(e -> kid.equals(e.get("details").path("token").asString(""))).toList();
            assertThat(finalized.stream().map(e -> e.get("details").get("version").asString()).toList())
                    .contains("1", "2");
            List<JsonNode> downloads = api.audit("acme.certificate.downloaded", "acme-certificate:").stream()
                    .filter(e -> kid.equals(e.get("details").path("token").asString(""))).toList();
            // Events of one frozen test-clock instant have no defined order in the chain, so look the download up.
            assertThat(downloads).isNotEmpty();
            assertThat(downloads).allSatisfy(d -> assertThat(d.get("details").get("managedCertificate").asString())
                    .isEqualTo(managed));
            assertThat(downloads.stream().map(d -> d.get("details").path("version").asString("")).toList())
                    .contains("2");
            assertThat(api.audit("managed-certificate.version-added", managed)).hasSize(2);
        });
    }
}
