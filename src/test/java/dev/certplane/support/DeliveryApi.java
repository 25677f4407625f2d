package dev.certplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.certplane.support.AcmeClients.Eab;
import dev.certplane.support.ApiClient.Response;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Managed certificates and certificate tokens through the operator API, as an operator's script makes them. */
public final class DeliveryApi {

    public static final String ADMIN = ApiClient.basic("admin", IntegrationTestConfig.ADMIN_PASSWORD);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApiClient api;

    public DeliveryApi(ApiClient api) {
        this.api = api;
    }

    /** Creates a managed certificate under {@code profile}; returns its id. */
    public String managedCertificate(String name, String profile, List<String> names) {
        return managedCertificate(name, profile, names, "acme-corp");
    }

    /** Creates a managed certificate of {@code organization} under {@code profile}; returns its id. */
    public String managedCertificate(String name, String profile, List<String> names, String organization) {
        Response created = api.send("POST", "/api/managed-certificates", JSON.writeValueAsString(java.util.Map.of(
                "name", name, "profile", profile, "names", names, "owner", "web-team", "organization", organization,
                "tags", List.of("env:test"))), ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** A token's creation response: {@code token}, {@code keyId}, {@code hmacKey}, {@code directoryUrl}. */
    public JsonNode token(String managedCertificateId, String extraJsonMembers) {
        Response created = api.send("POST", "/api/certificate-tokens", "{\"managedCertificateId\":\""
                + managedCertificateId + "\",\"name\":\"edge token\"" + extraJsonMembers + "}", ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    public static Eab eab(JsonNode created) {
        return new Eab(created.get("keyId").asString(), created.get("hmacKey").asString());
    }

    public void revoke(JsonNode created) {
        Response revoked = api.send("POST", "/api/certificate-tokens/" + created.get("token").get("id").asString()
                + "/revoke", null, ADMIN);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().get("state").asString()).isEqualTo("revoked");
    }

    public JsonNode get(String path) {
        Response response = api.get(path, ADMIN);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        return response.json();
    }

    /** Audit events of one action whose target contains {@code target}, newest first. */
    public List<JsonNode> audit(String action, String target) {
        JsonNode page = get("/api/audit?size=500&action=" + action + "&target=" + target);
        return page.get("items").valueStream().toList();
    }
}
