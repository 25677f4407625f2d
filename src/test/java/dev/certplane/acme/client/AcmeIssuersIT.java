package dev.certplane.acme.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.IntegrationTestConfig;
import dev.certplane.support.Pebble;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ACME issuers against a real CA, Pebble on loopback: the account key is generated and sealed here, the
 * account registered with acme4j (with external account binding where the CA requires it), and the CA's own
 * refusal shown when it refuses.
 */
@CertplaneIT
class AcmeIssuersIT {

    static final String ADMIN = ApiClient.basic("admin", IntegrationTestConfig.ADMIN_PASSWORD);
    static final String EAB_KID = "kid-1";
    static final String EAB_KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
    static final JsonMapper JSON = JsonMapper.builder().build();

    static Pebble open;
    static Pebble withEab;

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;

    @BeforeAll
    static void startCas() {
        open = Pebble.start(Map.of(), null, 1, 2);
        withEab = Pebble.start(Map.of(EAB_KID, EAB_KEY), null, 1, 2);
    }

    @AfterAll
    static void stopCas() {
        open.close();
        withEab.close();
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port, certplane.caBundleFile());
    }

    @Test
    void theCatalogSaysWhichCasNeedExternalAccountBinding() {
        JsonNode presets = api.get("/api/acme/issuer-presets", ADMIN).json();

        assertThat(presets).extracting(p -> p.get("id").asString() + "=" + p.get("eabRequired").asBoolean())
                .contains("letsencrypt=false", "letsencrypt-staging=false", "google=true", "sectigo-dv=true",
                        "sectigo-ov=true", "sectigo-ev=true", "zerossl=true", "buypass=false", "sslcom=true",
                        "actalis=true", "custom=false");
    }

    @Test
    void anIssuerIsRegisteredWithTheCaAndItsKeyStaysSealed() {
        String name = "pebble-" + unique();
        Response created = create(Map.of("name", name, "preset", "custom", "directoryUrl", open.directoryUrl(),
                "contact", "pki@example.test", "trustBundlePem", open.trustBundlePem()));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode issuer = created.json();
        assertThat(issuer.get("status").asString()).as(issuer.toString()).isEqualTo("registered");
        assertThat(issuer.get("accountUrl").asString()).startsWith(open.directoryUrl().replace("/dir", "/my-account/"));
        assertThat(created.body()).doesNotContain("accountKey").doesNotContain("PRIVATE");
        String sealed = jdbc.sql("select account_key_sealed from acme_client_issuers where id = :id")
                .param("id", issuer.get("id").asString()).query(String.class).single();
        assertThat(sealed).doesNotContain("PRIVATE KEY");
        awaitAudit("acme-issuer.registered", issuer.get("id").asString());

        Response again = api.send("POST", "/api/acme/issuers/" + issuer.get("id").asString() + "/register", null, ADMIN);
        assertThat(again.json().get("accountUrl").asString()).as("the same key finds the same account")
                .isEqualTo(issuer.get("accountUrl").asString());
        assertThat(api.get("/api/acme/issuers", ADMIN).json()).extracting(i -> i.get("name").asString()).contains(name);
        assertThat(api.send("DELETE", "/api/acme/issuers/" + issuer.get("id").asString(), null, ADMIN).status())
                .isEqualTo(204);
        assertThat(api.get("/api/acme/issuers/" + issuer.get("id").asString(), ADMIN).status()).isEqualTo(404);
    }

    @Test
    void aCaThatRequiresBindingRefusesWithoutItAndAcceptsItsCredentials() {
        Response refused = create(Map.of("name", "eab-missing-" + unique(), "preset", "custom",
                "directoryUrl", withEab.directoryUrl(), "trustBundlePem", withEab.trustBundlePem()));
        assertThat(refused.status()).isEqualTo(201);
        assertThat(refused.json().get("status").asString()).isEqualTo("failed");
        assertThat(refused.json().get("lastError").asString()).startsWith("the CA refused the account: ")
                .contains("urn:ietf:params:acme:error:externalAccountRequired");

        Response accepted = create(Map.of("name", "eab-" + unique(), "preset", "custom",
                "directoryUrl", withEab.directoryUrl(), "trustBundlePem", withEab.trustBundlePem(),
                "eabKid", EAB_KID, "eabHmacKey", EAB_KEY));
        assertThat(accepted.json().get("status").asString()).as(accepted.body()).isEqualTo("registered");
        assertThat(accepted.json().get("eabKid").asString()).isEqualTo(EAB_KID);
        assertThat(accepted.json().get("hasEabKey").asBoolean()).isTrue();
        assertThat(accepted.body()).doesNotContain(EAB_KEY);
        String sealed = jdbc.sql("select eab_hmac_sealed from acme_client_issuers where id = :id")
                .param("id", accepted.json().get("id").asString()).query(String.class).single();
        assertThat(sealed).doesNotContain(EAB_KEY);
    }

    @Test
    void aCaThatCannotBeTrustedIsReportedNotHidden() {
        Response created = create(Map.of("name", "untrusted-" + unique(), "preset", "custom",
                "directoryUrl", open.directoryUrl()));

        assertThat(created.json().get("status").asString()).isEqualTo("failed");
        assertThat(created.json().get("lastError").asString())
                .startsWith("the CA at " + open.directoryUrl() + " could not be reached or understood: ");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertThat(problem(Map.of("name", "x", "preset", "nope"))).contains("preset 'nope' is not one of [letsencrypt");
        assertThat(problem(Map.of("name", "x", "preset", "google")))
                .contains("Google Trust Services requires external account binding");
        assertThat(problem(Map.of("name", "x", "preset", "custom"))).contains("directoryUrl is required");
        assertThat(problem(Map.of("name", "x", "preset", "custom", "directoryUrl", "http://127.0.0.1/dir")))
                .contains("must be an https URL");
        assertThat(problem(Map.of("name", "x", "preset", "letsencrypt", "eabKid", "k")))
                .contains("eabKid and eabHmacKey go together");
        assertThat(problem(Map.of("name", "x", "preset", "zerossl", "eabKid", "k", "eabHmacKey", "c2hvcnQ")))
                .contains("eabHmacKey is 5 bytes");
        assertThat(problem(Map.of("name", "x", "preset", "letsencrypt", "contact", "not an address")))
                .contains("contact 'not an address' is not an e-mail address");
        assertThat(problem(Map.of("name", "x", "preset", "custom", "directoryUrl", open.directoryUrl(),
                "trustBundlePem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")))
                .contains("trustBundlePem: ");
        assertThat(problem(Map.of("preset", "letsencrypt"))).contains("name");

        String name = "twice-" + unique();
        create(Map.of("name", name, "preset", "custom", "directoryUrl", open.directoryUrl(),
                "trustBundlePem", open.trustBundlePem()));
        Response duplicate = create(Map.of("name", name.toUpperCase(), "preset", "custom",
                "directoryUrl", open.directoryUrl(), "trustBundlePem", open.trustBundlePem()));
        assertThat(duplicate.status()).isEqualTo(409);
    }

    private Response create(Map<String, String> body) {
        return api.send("POST", "/api/acme/issuers", JSON.writeValueAsString(body), ADMIN);
    }

    private String problem(Map<String, String> body) {
        Response response = create(body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).contains("application/problem+json");
        return response.json().get("detail").asString();
    }

    private void awaitAudit(String action, String id) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                api.get("/api/audit?action=" + action + "&target=acme-issuer:" + id, ADMIN).json().get("total").asLong())
                .isPositive());
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
