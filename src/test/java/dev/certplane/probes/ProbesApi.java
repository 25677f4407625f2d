package dev.certplane.probes;

import static dev.certplane.support.DeliveryApi.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Probe targets through the operator API, as an operator's script uses it. */
final class ProbesApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApiClient api;

    ProbesApi(ApiClient api) {
        this.api = api;
    }

    /** Creates a target from these members; returns it. */
    JsonNode create(Map<String, ?> members) {
        Response created = api.send("POST", "/api/probes", JSON.writeValueAsString(members), ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    /** A target on 127.0.0.1 with an SNI name, probed only when asked. */
    String target(int port, String sni, String managedCertificateId) {
        return create(Map.of("host", "127.0.0.1", "port", port, "sni", sni, "managedCertificateId",
                managedCertificateId)).get("id").asString();
    }

    /** Probes the target now and returns the result. */
    JsonNode probe(String id) {
        Response result = api.send("POST", "/api/probes/" + id + "/probe", null, ADMIN);
        assertThat(result.status()).as(result.body()).isEqualTo(200);
        return result.json();
    }

    JsonNode get(String path) {
        Response response = api.get(path, ADMIN);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        return response.json();
    }

    /** The alerts under this deduplication key, newest first. */
    List<JsonNode> alerts(String key) {
        return get("/api/alerts?size=500").get("items").valueStream().filter(a -> a.get("key").asString().equals(key))
                .toList();
    }

    /** Audit events of one action whose target contains {@code target}, newest first. */
    List<JsonNode> audit(String action, String target) {
        return get("/api/audit?size=500&action=" + action + "&target=" + target).get("items").valueStream().toList();
    }
}
