package dev.certplane.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server on loopback (the JDK's) that records every request it receives and answers with scripted
 * statuses, then 200: a webhook or Slack incoming-webhook endpoint for tests.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<int[]> script = new ConcurrentLinkedDeque<>();
    private volatile int fallback = 200;
    private volatile String answer = "ok";

    /** One request: method, path with query, headers (names lower-case, first value) and body. */
    public record Received(String method, String path, Map<String, String> headers, String body, byte[] raw) {

        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /** The base URL, such as {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next requests are answered with these statuses, in order; later ones with the fallback. */
    public WebhookReceiver thenAnswer(int... statuses) {
        for (int status : statuses) {
            script.add(new int[] {status});
        }
        return this;
    }

    /** Every request not scripted gets this status and body. */
    public WebhookReceiver always(int status, String body) {
        this.fallback = status;
        this.answer = body;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests whose JSON body satisfies the predicate. */
    public List<Received> matching(Predicate<JsonNode> test) {
        List<Received> found = new ArrayList<>();
        for (Received r : received) {
            try {
                if (test.test(r.json())) {
                    found.add(r);
                }
            } catch (RuntimeException e) {
                // not JSON
            }
        }
        return found;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        Map<String, String> headers = new java.util.TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                values.get(0)));
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
                new String(raw, StandardCharsets.UTF_8), raw));
        int[] scripted = script.poll();
        int status = scripted == null ? fallback : scripted[0];
        byte[] body = (scripted == null ? answer : "scripted " + status).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
