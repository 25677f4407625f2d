package dev.certplane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cloudflare's API v4 as its documentation describes it, for the DNS records a dns-01 client needs, on a loopback
 * port: {@code GET /zones?name=}, {@code GET /zones/{id}/dns_records?type=&name=&content=}, {@code POST
 * /zones/{id}/dns_records}, {@code DELETE /zones/{id}/dns_records/{id}}, each answering the envelope
 * {@code {success, errors: [{code, message}], messages, result}}. Requests need {@code Authorization: Bearer} with
 * the token; a missing or malformed header and a wrong token get Cloudflare's errors (6003 with 6111 in its
 * error chain, 9109). Every request is kept, with its Authorization header; records created and deleted are handed
 * to listeners, so a test can mirror them into a real DNS server for a CA to see. {@link #failNext} scripts the
 * next answer.
 */
public final class FakeCloudflare implements AutoCloseable {

    /** One request as received; {@code body} is empty for requests without one. */
    public record Call(String method, String path, String query, String authorization, String body) {
    }

    /** A DNS record as Cloudflare keeps it: the content exactly as it was sent. */
    public record DnsRecord(String id, String zoneId, String name, String type, String content, int ttl) {
    }

    private record Scripted(int status, String contentType, String body) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String token;
    private final Map<String, String> zones = new LinkedHashMap<>();
    private final Map<String, DnsRecord> records = new LinkedHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Scripted> scripted = new ArrayList<>();
    private final BiConsumer<String, String> created;
    private final BiConsumer<String, String> deleted;
    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * @param zones the zone names the token can see
     * @param created called with the name and content of every record created
     * @param deleted called with the name and content of every record deleted
     */
    public FakeCloudflare(String token, List<String> zones, BiConsumer<String, String> created,
            BiConsumer<String, String> deleted) {
        this.token = token;
        for (String zone : zones) {
            this.zones.put(id(), zone);
        }
        this.created = created;
        this.deleted = deleted;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public FakeCloudflare(String token, List<String> zones) {
        this(token, zones, (name, content) -> { }, (name, content) -> { });
    }

    /** The base URL, as {@code certplane.acme.client.cloudflare-api-url} takes it. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4";
    }

    public String zoneId(String zone) {
        return zones.entrySet().stream().filter(e -> e.getValue().equals(zone)).map(Map.Entry::getKey).findFirst()
                .orElseThrow();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<DnsRecord> records() {
        return List.copyOf(records.values());
    }

    /** The next request, whatever it is, gets this answer. */
    public synchronized void failNext(int status, String contentType, String body) {
        scripted.add(new Scripted(status, contentType, body));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add(new Call(method, path, query, authorization, body));
        Scripted next;
        synchronized (this) {
            next = scripted.isEmpty() ? null : scripted.remove(0);
        }
        if (next != null) {
            send(exchange, next.status(), next.contentType(), next.body());
            return;
        }
        if (!authorization.matches("Bearer [A-Za-z0-9._~+/-]+=*")) {
            send(exchange, 400, error(Map.of("code", 6003, "message", "Invalid request headers", "error_chain",
                    List.of(Map.of("code", 6111, "message", "Invalid format for Authorization header")))));
            return;
        }
        if (!authorization.equals("Bearer " + token)) {
            send(exchange, 403, error(Map.of("code", 9109, "message", "Invalid access token")));
            return;
        }
        synchronized (this) {
            answer(exchange, method, path.replaceFirst("^/client/v4", ""), parameters(query), body);
        }
    }

    private void answer(HttpExchange exchange, String method, String path, Map<String, String> query, String body)
            throws IOException {
        String[] parts = path.split("/");
        if (method.equals("GET") && path.equals("/zones")) {
            List<Map<String, Object>> found = zones.entrySet().stream()
                    .filter(zone -> !query.containsKey("name") || zone.getValue().equals(query.get("name")))
                    .map(zone -> Map.<String, Object>of("id", zone.getKey(), "name", zone.getValue(), "status", "active"))
                    .toList();
            send(exchange, 200, list(found));
            return;
        }
        if (parts.length < 4 || !parts[1].equals("zones") || !parts[3].equals("dns_records")) {
            send(exchange, 404, error(Map.of("code", 7000, "message", "No route for that URI")));
            return;
        }
        String zoneId = parts[2];
        if (!zones.containsKey(zoneId)) {
            send(exchange, 404, error(Map.of("code", 7003, "message", "Could not route to " + path
                    + ", perhaps your object identifier is invalid?")));
            return;
        }
        if (method.equals("GET") && parts.length == 4) {
            List<Map<String, Object>> found = records.values().stream().filter(r -> r.zoneId().equals(zoneId))
                    .filter(r -> !query.containsKey("type") || r.type().equals(query.get("type")))
                    .filter(r -> !query.containsKey("name") || r.name().equals(query.get("name")))
                    .filter(r -> !query.containsKey("content") || r.content().equals(query.get("content")))
                    .map(this::view).toList();
            send(exchange, 200, list(found));
        } else if (method.equals("POST") && parts.length == 4) {
            JsonNode input = JSON.readTree(body);
            String name = input.path("name").asString("").toLowerCase(Locale.ROOT);
            String type = input.path("type").asString("");
            String content = input.path("content").asString("");
            int ttl = input.path("ttl").asInt(1);
            String zone = zones.get(zoneId);
            if (!name.equals(zone) && !name.endsWith("." + zone)) {
                send(exchange, 400, error(Map.of("code", 9007, "message", "Name must be within the zone")));
            } else if (ttl != 1 && (ttl < 60 || ttl > 86400)) {
                send(exchange, 400, error(Map.of("code", 9021, "message",
                        "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for automatic")));
            } else if (records.values().stream().anyMatch(r -> r.name().equals(name) && r.type().equals(type)
                    && r.content().equals(content))) {
                send(exchange, 400, error(Map.of("code", 81058, "message", "An identical record already exists.")));
            } else {
                DnsRecord record = new DnsRecord(id(), zoneId, name, type, content, ttl);
                records.put(record.id(), record);
                created.accept(name, content);
                send(exchange, 200, envelope(view(record)));
            }
        } else if (method.equals("DELETE") && parts.length == 5) {
            DnsRecord record = records.remove(parts[4]);
            if (record == null || !record.zoneId().equals(zoneId)) {
                send(exchange, 404, error(Map.of("code", 81044, "message", "Record does not exist.")));
            } else {
                deleted.accept(record.name(), record.content());
                send(exchange, 200, envelope(Map.of("id", record.id())));
            }
        } else {
            send(exchange, 405, error(Map.of("code", 10405, "message", "Method not allowed")));
        }
    }

    private Map<String, Object> view(DnsRecord record) {
        return Map.of("id", record.id(), "zone_id", record.zoneId(), "zone_name", zones.get(record.zoneId()),
                "name", record.name(), "type", record.type(), "content", record.content(), "ttl", record.ttl(),
                "proxied", false, "created_on", "2026-11-26T00:00:00.000000Z",
                "modified_on", "2026-11-26T00:00:00.000000Z");
    }

    private static String envelope(Object result) {
        return JSON.writeValueAsString(Map.of("success", true, "errors", List.of(), "messages", List.of(),
                "result", result));
    }

    private static String list(List<Map<String, Object>> result) {
        return JSON.writeValueAsString(Map.of("success", true, "errors", List.of(), "messages", List.of(),
                "result", result, "result_info", Map.of("page", 1, "per_page", 100, "count", result.size(),
                        "total_count", result.size(), "total_pages", 1)));
    }

    private static String error(Map<String, Object> error) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("success", false);
        envelope.put("errors", List.of(error));
        envelope.put("messages", List.of());
        envelope.put("result", null);
        return JSON.writeValueAsString(envelope);
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static String id() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
