package dev.certplane.security;

import static dev.certplane.support.ApiClient.basic;
import static dev.certplane.support.ApiClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.IntegrationTestConfig;
import dev.certplane.support.MutableClock;
import dev.certplane.shared.CertplaneProperties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@CertplaneIT
class OperatorApiIT {

    private static final String ADMIN = basic("admin", IntegrationTestConfig.ADMIN_PASSWORD);

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    MutableClock clock;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port, certplane.caBundleFile());
    }

    @Test
    void healthIsUpOverHttpsTrustedThroughTheWrittenCaBundle() {
        Response health = api.get("/actuator/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void readinessCoversTheDatabaseAndTheScheduler() {
        Response readiness = api.get("/actuator/health/readiness", null);

        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("components").propertyNames()).contains("db", "dbScheduler", "readinessState");
        assertThat(readiness.json().get("components").get("db").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusMetricsNeedCredentials() {
        String anyToken = createToken(ADMIN, "scraper", "[\"certificates.view\"]");

        Response anonymous = api.get("/actuator/prometheus", null);
        Response scraper = api.get("/actuator/prometheus", bearer(anyToken));

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(scraper.status()).isEqualTo(200);
        assertThat(scraper.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void anonymousAuditVerifyIsAnUnauthorizedProblemDocument() {
        Response response = api.get("/api/audit/verify", null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains("authentication required");
    }

    @Test
    void anApiTokenCarriesOnlyItsPermissions() {
        String viewer = createToken(ADMIN, "viewer", "[\"certificates.view\"]");
        String auditor = createToken(ADMIN, "auditor", "[\"audit.view\"]");

        Response denied = api.get("/api/audit/verify", bearer(viewer));
        Response allowed = api.get("/api/audit/verify", bearer(auditor));

        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.contentType()).startsWith("application/problem+json");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.json().get("intact").asBoolean()).isTrue();
        assertThat(api.get("/api/ca", bearer(viewer)).status()).isEqualTo(200);
        assertThat(api.get("/api/api-tokens", ADMIN).json().valueStream()
                .filter(t -> t.get("name").asString().equals("auditor")).findFirst().orElseThrow()
                .get("lastUsedAt").isNull()).as("last use recorded").isFalse();
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = createToken(ADMIN, "one-day", "[\"audit.view\"]", 1);
        assertThat(api.get("/api/audit/verify", bearer(token)).status()).isEqualTo(200);

        clock.advance(Duration.ofDays(2));
        try {
            Response expired = api.get("/api/audit/verify", bearer(token));

            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.json().get("detail").asString()).contains("expired");
        } finally {
            clock.advance(Duration.ofDays(-2));
        }
    }

    @Test
    void aRevokedTokenIsRefusedAndTheRevocationIsAudited() {
        Response created = api.send("POST", "/api/api-tokens",
                "{\"name\":\"short-lived\",\"permissions\":[\"audit.view\"]}", ADMIN);
        String token = created.json().get("secret").asString();
        String id = created.json().get("token").get("id").asString();

        Response revoked = api.send("DELETE", "/api/api-tokens/" + id, null, ADMIN);
        Response after = api.get("/api/audit/verify", bearer(token));

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("revokedAt").isNull()).isFalse();
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get("detail").asString()).contains("revoked");
        awaitAudit("api-token.revoked", "api-token:" + id);
    }

    @Test
    void aTokenCannotCarryAPermissionItsCreatorLacks() {
        api.send("POST", "/api/users",
                "{\"username\":\"carol\",\"password\":\"carol-long-password\",\"permissions\":[\"certificates.view\"]}",
                ADMIN);

        Response response = api.send("POST", "/api/api-tokens",
                "{\"name\":\"escalate\",\"permissions\":[\"audit.view\"]}", basic("carol", "carol-long-password"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("detail").asString()).contains("audit.view");
    }

    @Test
    void onlyAnAdminListsEveryonesTokens() {
        api.send("POST", "/api/users",
                "{\"username\":\"erin\",\"password\":\"erin-long-password\",\"permissions\":[\"audit.view\"]}",
                ADMIN);
        String erin = basic("erin", "erin-long-password");
        createToken(erin, "erins", "[\"audit.view\"]");

        Response denied = api.get("/api/api-tokens?all=true", erin);
        Response own = api.get("/api/api-tokens", erin);
        Response everyone = api.get("/api/api-tokens?all=true", ADMIN);

        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("detail").asString()).contains("needs admin");
        assertThat(own.json().valueStream().map(t -> t.get("name").asString())).containsExactly("erins");
        assertThat(everyone.json().valueStream().map(t -> t.get("name").asString())).contains("erins");
    }

    @Test
    void badInputGetsAPreciseProblemNotAServerError() {
        Response empty = api.send("POST", "/api/api-tokens", "{}", ADMIN);
        Response unknown = api.send("POST", "/api/api-tokens", "{\"name\":\"x\",\"permissions\":[\"root\"]}", ADMIN);
        Response malformed = api.send("POST", "/api/api-tokens", "{\"name\":", ADMIN);
        Response badPage = api.get("/api/audit?size=100000", ADMIN);

        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.contentType()).startsWith("application/problem+json");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("detail").asString()).contains("unknown permissions: root");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).doesNotContain("Exception").doesNotContain("at dev.certplane");
        assertThat(badPage.status()).isEqualTo(400);
    }

    @Test
    void repeatedFailedLoginsLockTheUserNameAndAreAudited() {
        api.send("POST", "/api/users",
                "{\"username\":\"dave\",\"password\":\"dave-long-password\",\"permissions\":[\"audit.view\"]}", ADMIN);
        for (int i = 0; i < 5; i++) {
            assertThat(api.get("/api/me", basic("dave", "wrong-" + i)).status()).isEqualTo(401);
        }

        Response locked = api.get("/api/me", basic("dave", "dave-long-password"));

        assertThat(locked.status()).isEqualTo(401);
        assertThat(locked.json().get("detail").asString()).contains("too many failed logins");
        awaitAudit("auth.lockout", "user:dave");
    }

    @Test
    void theBrowserLogsInWithASessionAndCsrfToken() throws Exception {
        HttpClient browser = HttpClient.newBuilder().sslContext(api.http().sslContext()).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String loginPage = browser.send(HttpRequest.newBuilder(URI.create(api.base() + "/login")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(loginPage);
        assertThat(csrf.find()).as("login form carries a CSRF token").isTrue();

        HttpResponse<String> withoutCsrf = browser.send(form("/login", "username=admin&password="
                + IntegrationTestConfig.ADMIN_PASSWORD), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> login = browser.send(form("/login", "username=admin&password="
                + IntegrationTestConfig.ADMIN_PASSWORD + "&_csrf=" + csrf.group(1)), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> home = browser.send(HttpRequest.newBuilder(URI.create(api.base() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(withoutCsrf.statusCode()).isEqualTo(403);
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("Dashboard").contains("admin");
        awaitAudit("auth.login", "user:admin");
    }

    private HttpRequest form(String path, String body) {
        return HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private String createToken(String as, String name, String permissionsJson) {
        return createToken(as, name, permissionsJson, null);
    }

    private String createToken(String as, String name, String permissionsJson, Integer expiresInDays) {
        Response created = api.send("POST", "/api/api-tokens", "{\"name\":\"" + name + "\",\"permissions\":"
                + permissionsJson + (expiresInDays == null ? "" : ",\"expiresInDays\":" + expiresInDays) + "}", as);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("secret").asString();
    }

    private void awaitAudit(String action, String target) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Response page = api.get("/api/audit?action=" + action + "&target=" + target, ADMIN);
            assertThat(page.json().get("total").asLong()).isPositive();
        });
    }
}
