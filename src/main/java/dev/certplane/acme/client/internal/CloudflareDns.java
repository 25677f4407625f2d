package dev.certplane.acme.client.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * dns-01 records through Cloudflare's API v4 with an API token ({@code Authorization: Bearer}). The zone is the
 * configured zone id, or else found by asking {@code GET /zones?name=} for the record's name and then each parent
 * in turn. Records are created with {@code POST /zones/{id}/dns_records}, their content in quotes as Cloudflare
 * documents TXT content (RFC 1035 character strings), and removed by listing the name's TXT records and deleting
 * those whose content, quotes aside, is the value: the list is filtered by type and name only, since whether
 * Cloudflare stores a record's content quoted or not depends on how and when it was made.
 *
 * <p>Every answer is read as Cloudflare's envelope {@code {success, errors: [{code, message}], result}}; a refusal
 * (4xx other than 408 and 429) is permanent, anything else (5xx, rate limits, the network) is worth another try.
 */
final class CloudflareDns implements DnsRecords {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Cloudflare's smallest TTL outside Enterprise plans was 120 s for years; 60 s is refused by older accounts. */
    private static final int TTL = 120;

    private record Zone(String id, @Nullable String name) {

        @Override
        public String toString() {
            return name != null ? name : "with id " + id;
        }
    }

    private final String api;
    private final String token;
    private final @Nullable String zoneId;
    private final HttpClient http;
    private final JsonMapper json;

    CloudflareDns(URI api, String token, @Nullable String zoneId, HttpClient http, JsonMapper json) {
        this.api = api.toString().replaceAll("/+$", "");
        this.token = token;
        this.zoneId = zoneId;
        this.http = http;
        this.json = json;
    }

    @Override
    public String publish(String fqdn, String value) throws DnsException {
        Zone zone = zone(fqdn);
        if (!records(zone, fqdn, value).isEmpty()) {
            return "published in Cloudflare zone " + zone + " (the record was there already)";
        }
        String body = json.writeValueAsString(Map.of("type", "TXT", "name", fqdn, "content", "\"" + value + "\"",
                "ttl", TTL));
        JsonNode created = call("POST", "/zones/" + zone.id() + "/dns_records", body,
                "creating TXT " + fqdn + " in zone " + zone);
        return "published in Cloudflare zone " + zone + " as record " + created.path("id").asString("(no id given)");
    }

    @Override
    public String remove(String fqdn, String value) throws DnsException {
        Zone zone = zone(fqdn);
        List<String> ids = records(zone, fqdn, value);
        for (String id : ids) {
            call("DELETE", "/zones/" + zone.id() + "/dns_records/" + encode(id), null,
                    "deleting TXT " + fqdn + " (record " + id + ") in zone " + zone);
        }
        return ids.isEmpty() ? "was not in Cloudflare zone " + zone + " (nothing to delete)"
                : "removed from Cloudflare zone " + zone + " (record " + String.join(", ", ids) + ")";
    }

    private Zone zone(String fqdn) throws DnsException {
        if (zoneId != null) {
            return new Zone(zoneId, null);
        }
        String name = fqdn.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        List<String> tried = new ArrayList<>();
        while (!name.isEmpty()) {
            tried.add(name);
            String what = "looking up zone " + name;
            for (JsonNode zone : list(call("GET", "/zones?name=" + encode(name), null, what), what)) {
                if (zone.path("name").asString("").equalsIgnoreCase(name) && !zone.path("id").asString("").isEmpty()) {
                    return new Zone(zone.path("id").asString(), name);
                }
            }
            int dot = name.indexOf('.');
            name = dot < 0 ? "" : name.substring(dot + 1);
        }
        throw new DnsException("no Cloudflare zone this API token can see contains " + fqdn + " (asked for " + tried
                + ")", true);
    }

    /** The ids of the zone's TXT records of this name whose content is the value. */
    private List<String> records(Zone zone, String fqdn, String value) throws DnsException {
        String what = "listing TXT " + fqdn + " in zone " + zone;
        JsonNode result = call("GET", "/zones/" + zone.id() + "/dns_records?type=TXT&name=" + encode(fqdn)
                + "&per_page=100", null, what);
        List<String> ids = new ArrayList<>();
        for (JsonNode record : list(result, what)) {
            if (record.path("name").asString("").equalsIgnoreCase(fqdn)
                    && unquoted(record.path("content").asString("")).equals(value)) {
                ids.add(record.path("id").asString());
            }
        }
        return ids;
    }

    /** One API call; returns the envelope's {@code result}. */
    private JsonNode call(String method, String path, @Nullable String body, String what) throws DnsException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DnsException("the Cloudflare API at " + api + " could not be reached while " + what + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsException("interrupted while " + what);
        }
        int status = response.statusCode();
        boolean permanent = status >= 400 && status < 500 && status != 408 && status != 429;
        JsonNode envelope;
        try {
            envelope = json.readTree(response.body());
        } catch (JacksonException e) {
            envelope = null;
        }
        if (envelope == null || !envelope.isObject()) {
            throw new DnsException("Cloudflare answered " + what + " with HTTP " + status + " and no API response: "
                    + excerpt(response.body()), permanent);
        }
        if (status / 100 != 2 || !envelope.path("success").asBoolean(true)) {
            throw new DnsException("Cloudflare refused " + what + " (HTTP " + status + "): " + errors(envelope),
                    permanent);
        }
        return envelope.path("result");
    }

    private static Iterable<JsonNode> list(JsonNode result, String what) throws DnsException {
        if (!result.isArray()) {
            throw new DnsException("Cloudflare answered " + what + " without a list of results");
        }
        return result.values();
    }

    /** Cloudflare's errors with their codes, each followed by the causes it lists in {@code error_chain}. */
    private static String errors(JsonNode envelope) {
        List<String> errors = new ArrayList<>();
        for (JsonNode error : envelope.path("errors").values()) {
            errors.add(error(error));
            for (JsonNode cause : error.path("error_chain").values()) {
                errors.add(error(cause));
            }
        }
        return errors.isEmpty() ? "no error given" : String.join("; ", errors);
    }

    private static String error(JsonNode error) {
        return excerpt(error.path("message").asString("(no message)")) + " (code " + error.path("code").asString("?")
                + ")";
    }

    private static String unquoted(String content) {
        return content.length() >= 2 && content.startsWith("\"") && content.endsWith("\"")
                ? content.substring(1, content.length() - 1) : content;
    }

    private static String excerpt(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.isEmpty() ? "(empty)" : clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
