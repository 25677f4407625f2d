package dev.certplane.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.certplane.support.ApiClient.Response;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Renewal policies, managed certificates, renew now, sweeps and attempts through the operator API. */
public final class RenewalApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApiClient api;
    /** The admin's API token: a password login hashes on every request, a token is looked up by its digest. */
    private final String admin;

    public RenewalApi(ApiClient api) {
        this.api = api;
        this.admin = token(api, ApiClient.basic("admin", IntegrationTestConfig.ADMIN_PASSWORD), "renewal-tests");
    }

    /** The admin's authorization for requests of a test's own. */
    public String admin() {
        return admin;
    }

    /** A new API token of the operator with these credentials, with all of the operator's permissions. */
    public static String token(ApiClient api, String basic, String name) {
        Response created = api.send("POST", "/api/api-tokens", "{\"name\":\"" + name + "-" + System.nanoTime()
                + "\",\"permissions\":[\"admin\"]}", basic);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return ApiClient.bearer(created.json().get("secret").asString());
    }

    public ApiClient api() {
        return api;
    }

    /** Creates an API profile (trust_authenticated) for names under {@code .<name>.test} unless it exists. */
    public void profile(String name, String validity) {
        Response existing = api.get("/api/acme/profiles/" + name, admin);
        String body = "{\"name\":\"" + name + "\",\"authMode\":\"trust_authenticated\",\"allowedDomains\":[\"." + name
                + ".test\"],\"validity\":\"" + validity + "\"}";
        Response saved = existing.status() == 200 ? api.send("PUT", "/api/acme/profiles/" + name, body, admin)
                : api.send("POST", "/api/acme/profiles", body, admin);
        assertThat(saved.status()).as(saved.body()).isIn(200, 201);
    }

    /** Creates a policy from JSON members; returns its id. */
    public String policy(String jsonMembers) {
        Response created = api.send("POST", "/api/renewal-policies", "{" + jsonMembers + "}", admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** Creates a managed certificate of an organization under a profile; returns its id. */
    public String managed(String name, String organization, String profile, List<String> names) {
        Response created = api.send("POST", "/api/managed-certificates", JSON.writeValueAsString(Map.of("name", name,
                "profile", profile, "names", names, "organization", organization, "tags", List.of())), admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    public Response renew(String id) {
        return api.send("POST", "/api/managed-certificates/" + id + "/renew", null, admin);
    }

    /** Renews now, expects 200, waits for the attempt to complete and returns it. */
    public JsonNode renewed(String id) {
        Response renew = renew(id);
        assertThat(renew.status()).as(renew.body()).isEqualTo(200);
        return awaitState(renew.json().get("attemptId").asString(), "completed");
    }

    public JsonNode attempt(String attemptId) {
        return get("/api/renewal-attempts/" + attemptId);
    }

    /** Waits until the attempt reaches a state and no longer changes into another one. */
    public JsonNode awaitState(String attemptId, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode attempt = attempt(attemptId);
            assertThat(attempt.get("state").asString()).as(attempt.toString()).isEqualTo(state);
        });
        return attempt(attemptId);
    }

    public JsonNode history(String id) {
        return get("/api/managed-certificates/" + id + "/renewals");
    }

    /** The managed certificate's attempts, newest first. */
    public List<JsonNode> attempts(String id) {
        return history(id).get("attempts").valueStream().toList();
    }

    /** Runs a sweep now; one the scheduler started at the same moment (answered 409) is waited out. */
    public JsonNode sweep() {
        Response[] sweep = new Response[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            sweep[0] = api.send("POST", "/api/renewals/sweep", null, admin);
            return sweep[0].status() != 409;
        });
        assertThat(sweep[0].status()).as(sweep[0].body()).isEqualTo(200);
        return sweep[0].json();
    }

    public int currentVersion(String managedId) {
        return get("/api/managed-certificates/" + managedId).get("current").get("version").asInt();
    }

    public JsonNode get(String path) {
        Response response = api.get(path, admin);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        return response.json();
    }

    /** The problem detail of a request that must fail with {@code status}. */
    public String problem(String method, String path, String body, int status, String authorization) {
        Response response = api.send(method, path, body, authorization);
        assertThat(response.status()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return response.json().get("detail").asString();
    }

    /** Creates an operator with these permissions; returns its basic authorization. */
    public String user(String name, String... permissions) {
        Response created = api.send("POST", "/api/users", "{\"username\":\"" + name + "\",\"password\":\"" + name
                + "-long-password\",\"permissions\":" + JSON.writeValueAsString(List.of(permissions)) + "}", admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return ApiClient.basic(name, name + "-long-password");
    }
}
