package dev.certplane.acme;

import static dev.certplane.support.ApiClient.basic;
import static dev.certplane.support.ApiClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.certplane.pki.KeyType;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.IntegrationTestConfig;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Status;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** ACME profiles through {@code /api/acme/profiles}: permission-checked, validated, audited, live at once. */
@AcmeIT
class AcmeProfileApiIT {

    private static final String ADMIN = basic("admin", IntegrationTestConfig.ADMIN_PASSWORD);

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port, certplane.caBundleFile());
    }

    @Test
    void listsConfiguredProfilesAsReadOnly() {
        Response list = api.get("/api/acme/profiles", ADMIN);
        assertThat(list.status()).isEqualTo(200);
        var strict = list.json().valueStream().filter(p -> p.get("name").asString().equals("strict")).findFirst()
                .orElseThrow();
        assertThat(strict.get("source").asString()).isEqualTo("configuration");
        assertThat(strict.get("validity").asString()).isEqualTo("6d");
        assertThat(strict.get("directoryUrl").asString()).isEqualTo("https://localhost:" + port + "/acme/strict/directory");

        Response change = api.send("PUT", "/api/acme/profiles/strict", body("strict", "trust_authenticated",
                "[\".strict.test\"]", "30d"), ADMIN);
        assertThat(change.status()).isEqualTo(409);
        assertThat(change.json().get("detail").asString()).contains("certplane.acme.profiles.strict");
    }

    @Test
    void aProfileCreatedThroughTheApiServesADirectoryAtOnceAndCanBeRemoved() throws Exception {
        Response created = api.send("POST", "/api/acme/profiles", body("lab", "trust_authenticated",
                "[\".lab.test\"]", "14d"), ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        var session = AcmeTesting.session(port, certplane.caBundleFile(), "lab");
        var key = KeyType.EC_P256.generate();
        var account = new AccountBuilder().agreeToTermsOfService().useKeyPair(key).create(session);
        var order = session.login(account.getLocation(), key).getAccount().newOrder().domain("x.lab.test").create();
        assertThat(order.getStatus()).isEqualTo(Status.READY);
        order.execute(KeyType.EC_P256.generate());
        order.waitForCompletion(Duration.ofSeconds(10));
        var leaf = order.getCertificate().getCertificate();
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()).toDays())
                .isBetween(13L, 14L);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                api.get("/api/audit?action=acme.profile.created&target=acme-profile:lab", ADMIN).json().get("total")
                        .asLong()).isEqualTo(1));

        assertThat(api.send("DELETE", "/api/acme/profiles/lab", null, ADMIN).status()).isEqualTo(204);
        assertThat(api.get("/acme/lab/directory", null).status()).isEqualTo(404);
    }

    @Test
    void refusesInvalidProfilesWithThePrecisReason() {
        assertThat(problem(body("Bad Name", "trust_authenticated", "[]", "90d"))).contains("profile name");
        assertThat(problem(body("checks", "challenges", "[]", "90d"))).contains("unknown auth mode 'challenges'");
        assertThat(problem("{\"name\":\"p6\",\"authMode\":\"challenge\",\"validity\":\"90d\",\"caa\":true}"))
                .contains("caa is on but caa-identities is empty");
        assertThat(problem(body("p1", "trust_authenticated", "[\"exa mple.com\"]", "90d"))).contains("exa mple.com");
        assertThat(problem(body("p2", "trust_authenticated", "[]", "0d"))).contains("validity must be positive");
        assertThat(problem(body("p3", "trust_authenticated", "[]", "ninety"))).contains("ninety");
        assertThat(problem("{\"name\":\"p4\",\"authMode\":\"trust_authenticated\",\"validity\":\"90d\","
                + "\"allowedIpRanges\":[\"10.0.0.0/33\"]}")).contains("10.0.0.0/33");
        assertThat(problem("{\"name\":\"p5\",\"authMode\":\"trust_authenticated\",\"validity\":\"90d\","
                + "\"keyTypes\":[\"dsa-1024\"]}")).contains("dsa-1024");
    }

    @Test
    void needsTheAcmeManagePermission() {
        Response tokenCreated = api.send("POST", "/api/api-tokens",
                "{\"name\":\"viewer\",\"permissions\":[\"certificates.view\"]}", ADMIN);
        String viewer = bearer(tokenCreated.json().get("secret").asString());
        assertThat(api.get("/api/acme/profiles", viewer).status()).isEqualTo(403);
        assertThat(api.get("/api/acme/profiles", null).status()).isEqualTo(401);
    }

    private String problem(String body) {
        Response response = api.send("POST", "/api/acme/profiles", body, ADMIN);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return response.json().get("detail").asString();
    }

    private static String body(String name, String mode, String domains, String validity) {
        return "{\"name\":\"" + name + "\",\"authMode\":\"" + mode + "\",\"allowedDomains\":" + domains
                + ",\"validity\":\"" + validity + "\"}";
    }
}
