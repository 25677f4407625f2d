package dev.certplane.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.certplane.support.ApiClient.Response;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** ACME client workflows through the operator API: start one, wait for its end, read its timeline. */
public final class AcmeWorkflowApi {

    private static final String ADMIN = ApiClient.basic("admin", IntegrationTestConfig.ADMIN_PASSWORD);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApiClient api;

    public AcmeWorkflowApi(ApiClient api) {
        this.api = api;
    }

    /** Adds an ACME issuer for a running Pebble and checks that its account is registered; returns its id. */
    public String registeredIssuer(String name, Pebble pebble) {
        Response issuer = api.send("POST", "/api/acme/issuers", JSON.writeValueAsString(Map.of("name", name,
                "preset", "custom", "directoryUrl", pebble.directoryUrl(), "trustBundlePem", pebble.trustBundlePem())),
                ADMIN);
        assertThat(issuer.json().get("status").asString()).as(issuer.body()).isEqualTo("registered");
        return issuer.json().get("id").asString();
    }

    /** Starts a workflow; returns its id. */
    public String start(Map<String, Object> body) {
        Response started = api.send("POST", "/api/acme/workflows", JSON.writeValueAsString(body), ADMIN);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        return started.json().get("id").asString();
    }

    /** Starts a workflow and waits until it has succeeded or failed; returns its detail. */
    public JsonNode run(Map<String, Object> body) {
        return awaitEnd(start(body));
    }

    public JsonNode awaitEnd(String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> workflow(id), w -> !w.at("/workflow/status").asString().equals("running"));
    }

    /** The workflow and its steps, as {@code GET /api/acme/workflows/{id}} shows them. */
    public JsonNode workflow(String id) {
        return api.get("/api/acme/workflows/" + id, ADMIN).json();
    }

    public static List<String> steps(JsonNode workflow) {
        return workflow.get("steps").valueStream().map(s -> s.get("step").asString()).toList();
    }

    /** The detail of the first step of that name. */
    public static String detail(JsonNode workflow, String step) {
        return workflow.get("steps").valueStream().filter(s -> s.get("step").asString().equals(step))
                .map(s -> s.get("detail").asString()).findFirst().orElseThrow(() -> new AssertionError(
                        "no step " + step + " in " + workflow));
    }
}
