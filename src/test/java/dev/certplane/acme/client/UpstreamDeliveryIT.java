package dev.certplane.acme.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.AcmeClients;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.Bind9;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.Pebble;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Upstream delivery end to end: an unmodified certbot holding only a certificate token orders from a profile
 * of our ACME server whose issuer is an external CA (Pebble). Our server sends certbot's CSR upstream, proves
 * the names there with dns-01 records it publishes centrally (BIND, RFC 2136), and hands certbot the chain
 * Pebble issued; the managed certificate records it as its next version.
 */
@CertplaneIT
@TestPropertySource(properties = {
        "certplane.acme.profiles.edgeup.auth-mode=token",
        "certplane.acme.profiles.edgeup.allowed-domains=.up.test",
        "certplane.acme.profiles.edgeup.upstream-issuer=pebble-upstream",
        "certplane.acme.profiles.edgeup.upstream-dns-provider=bind-upstream",
        "certplane.acme.profiles.edgebroken.auth-mode=token",
        "certplane.acme.profiles.edgebroken.allowed-domains=.broken.test",
        "certplane.acme.profiles.edgebroken.upstream-issuer=no-such-issuer",
        "certplane.acme.profiles.edgebroken.upstream-dns-provider=bind-upstream",
        "certplane.acme.client.poll-interval=200ms",
        "certplane.acme.client.run-interval=500ms"})
class UpstreamDeliveryIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Bind9 BIND = Bind9.shared();

    static Pebble pebble;

    @DynamicPropertySource
    static void network(DynamicPropertyRegistry registry) {
        BIND.serveAcmeClient(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @BeforeAll
    static void startPebble() {
        pebble = Pebble.start(Map.of(), BIND.address(), AcmeClients.freeLoopbackPort(), AcmeClients.freeLoopbackPort());
    }

    @AfterAll
    static void stopPebble() {
        pebble.close();
    }

    @Test
    void certbotWithACertificateTokenReceivesACertificateIssuedUpstream(@TempDir Path work) {
        ApiClient api = new ApiClient(port, certplane.caBundleFile());
        DeliveryApi delivery = new DeliveryApi(api);
        Response issuer = api.send("POST", "/api/acme/issuers", JSON.writeValueAsString(Map.of("name", "pebble-upstream",
                "preset", "custom", "directoryUrl", pebble.directoryUrl(), "trustBundlePem", pebble.trustBundlePem())),
                DeliveryApi.ADMIN);
        assertThat(issuer.json().get("status").asString()).as(issuer.body()).isEqualTo("registered");
        Response provider = api.send("POST", "/api/acme/dns-providers", JSON.writeValueAsString(Map.of("name",
                "bind-upstream", "type", "rfc2136", "server", BIND.address(), "tsigKeyName", Bind9.TSIG_KEY,
                "tsigSecret", BIND.tsigSecret())), DeliveryApi.ADMIN);
        assertThat(provider.status()).as(provider.body()).isEqualTo(201);
        String name = "www-" + UUID.randomUUID().toString().substring(0, 8) + ".up.test";
        String managed = delivery.managedCertificate("upstream-" + name, "edgeup", List.of(name));
        JsonNode token = delivery.token(managed, "");
        var certbot = AcmeClients.certbot("https://localhost:" + port + "/acme/edgeup/directory", certplane.caBundleFile(),
                work.resolve("edge")).withEab(DeliveryApi.eab(token));

        certbot.certonly("upstream", List.of(name));

        var issued = certbot.issued("upstream");
        assertThat(AcmeClients.dnsNames(issued)).containsExactly(name);
        assertThat(issued.getIssuerX500Principal().getName()).as("issued by Pebble, not by Certplane's CA")
                .containsIgnoringCase("pebble");
        JsonNode versions = api.get("/api/managed-certificates/" + managed + "/versions", DeliveryApi.ADMIN).json();
        assertThat(versions.toString()).contains(dev.certplane.pki.Certificates.sha256Fingerprint(issued));
        JsonNode workflows = api.get("/api/acme/workflows", DeliveryApi.ADMIN).json();
        assertThat(workflows.valueStream().filter(w -> w.get("identifiers").toString().contains(name))
                .map(w -> w.get("status").asString()).toList()).containsExactly("succeeded");
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.get(
                "/api/audit?action=acme.order.sent-upstream", DeliveryApi.ADMIN).json().get("total").asLong()).isPositive());
    }

    @Test
    void aProfileWhoseUpstreamIssuerIsMissingFailsTheOrderSayingSo(@TempDir Path work) {
        ApiClient api = new ApiClient(port, certplane.caBundleFile());
        DeliveryApi delivery = new DeliveryApi(api);
        String name = "www-" + UUID.randomUUID().toString().substring(0, 8) + ".broken.test";
        String managed = delivery.managedCertificate("broken-" + name, "edgebroken", List.of(name));
        var certbot = AcmeClients.certbot("https://localhost:" + port + "/acme/edgebroken/directory",
                certplane.caBundleFile(), work.resolve("edge")).withEab(DeliveryApi.eab(delivery.token(managed, "")));

        var run = certbot.attempt(List.of("certonly", "--cert-name", "broken", "--manual", "--preferred-challenges",
                "http-01", "--manual-auth-hook", "true", "--manual-cleanup-hook", "true", "-d", name));

        assertThat(run.succeeded()).isFalse();
        assertThat(run.output()).contains("cannot send the order to its upstream CA: ACME issuer 'no-such-issuer'"
                + " does not exist");
    }
}
