package dev.certplane.inventory.internal.discovery;

import java.io.IOException;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Handshakes with every endpoint of a run, at most {@code concurrency} at a time on a fixed pool made for the
 * run. Each handshake is bounded by the network's timeouts, so a run ends without a deadline of its own.
 */
final class Scanner {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final TlsNetwork network;
    private final int concurrency;

    Scanner(TlsNetwork network, int concurrency) {
        this.network = network;
        this.concurrency = concurrency;
    }

    /** What one endpoint served: a chain, leaf first, or why there was none. */
    record Observation(ScanEndpoint endpoint, List<X509Certificate> chain, @Nullable String failure) {

        Observation {
            chain = List.copyOf(chain);
        }

        boolean answered() {
            return failure == null;
        }
    }

    /** One observation per endpoint, in the endpoints' order. */
    List<Observation> scan(List<ScanEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            return List.of();
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(concurrency, endpoints.size()), task -> {
            Thread thread = new Thread(task, "discovery-" + pool + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Observation>> pending = new ArrayList<>(endpoints.size());
            for (ScanEndpoint endpoint : endpoints) {
                pending.add(executor.submit(() -> observe(endpoint)));
            }
            List<Observation> observations = new ArrayList<>(endpoints.size());
            for (Future<Observation> future : pending) {
                observations.add(future.get());
            }
            return observations;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the scan was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a handshake failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            executor.shutdownNow();
        }
    }

    private Observation observe(ScanEndpoint endpoint) {
        try {
            List<X509Certificate> chain = network.handshake(endpoint);
            if (chain.isEmpty()) {
                return new Observation(endpoint, List.of(), "the server presented no certificate");
            }
            return new Observation(endpoint, chain, null);
        } catch (IOException | RuntimeException e) {
            return new Observation(endpoint, List.of(), describe(e));
        }
    }

    private static String describe(Exception e) {
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
