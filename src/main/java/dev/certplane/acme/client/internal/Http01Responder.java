package dev.certplane.acme.client.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

import dev.certplane.acme.client.internal.store.WorkflowStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The built-in HTTP-01 responder (RFC 8555 8.3): answers {@code /.well-known/acme-challenge/<token>} with the key
 * authorization a workflow published, on {@code certplane.acme.client.http01-port}. Answers live in the database,
 * so every replica serves every workflow's; anything else is 404.
 */
@Component
class Http01Responder implements SmartLifecycle {

    static final String PREFIX = "/.well-known/acme-challenge/";
    private static final Logger log = LoggerFactory.getLogger(Http01Responder.class);

    private final WorkflowStore store;
    private final int port;
    private HttpServer server;
    private ExecutorService executor;

    Http01Responder(WorkflowStore store, AcmeClientSettings settings) {
        this.store = store;
        this.port = settings.http01Port();
    }

    @Override
    public void start() {
        if (port == 0) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("the HTTP-01 responder cannot listen on port " + port
                    + " (certplane.acme.client.http01-port): " + e.getMessage(), e);
        }
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            Optional<String> answer = exchange.getRequestMethod().equals("GET") && path.startsWith(PREFIX)
                    ? store.httpAnswer(path.substring(PREFIX.length())) : Optional.empty();
            byte[] body = answer.orElse("not found").getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(answer.isPresent() ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        log.info("HTTP-01 responder listening on port {}", port);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
