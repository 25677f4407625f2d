package dev.certplane.inventory.internal.discovery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.certplane.handshake.Handshake;
import dev.certplane.handshake.TlsEndpoint;
import dev.certplane.handshake.TlsNetwork;
import dev.certplane.inventory.Sighting;

/**
 * Handshakes with every endpoint of a run, at most {@code concurrency} at a time on a fixed pool made for the
 * run. Each handshake is bounded by the timeouts, so a run ends without a deadline of its own.
 */
final class Scanner {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final TlsNetwork network;
    private final int concurrency;
    private final TlsNetwork.Timeouts timeouts;

    Scanner(TlsNetwork network, int concurrency, TlsNetwork.Timeouts timeouts) {
        this.network = network;
        this.concurrency = concurrency;
        this.timeouts = timeouts;
    }

    /** One sighting per endpoint, in the endpoints' order. */
    List<Sighting> scan(List<TlsEndpoint> endpoints) {
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
            List<Future<Sighting>> pending = new ArrayList<>(endpoints.size());
            for (TlsEndpoint endpoint : endpoints) {
                pending.add(executor.submit(() -> observe(endpoint)));
            }
            List<Sighting> sightings = new ArrayList<>(endpoints.size());
            for (Future<Sighting> future : pending) {
                sightings.add(future.get());
            }
            return sightings;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the scan was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a handshake failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            executor.shutdownNow();
        }
    }

    private Sighting observe(TlsEndpoint endpoint) {
        try {
            Handshake handshake = network.handshake(endpoint, timeouts);
            if (handshake.chain().isEmpty()) {
                return new Sighting(endpoint, List.of(), "the server presented no certificate");
            }
            return new Sighting(endpoint, handshake.chain(), null);
        } catch (IOException | RuntimeException e) {
            return new Sighting(endpoint, List.of(), TlsNetwork.describe(e));
        }
    }
}
