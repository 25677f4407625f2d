package dev.certplane.probes.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The threads probes run on: {@code certplane.probes.concurrency} of them per replica, shared by the scheduled
 * poll and the confirmations, so that however much is due at once, no more handshakes than that are in flight.
 */
@Component
class ProbeWorkers {

    private final ExecutorService executor;

    @Autowired
    ProbeWorkers(ProbeSettings settings) {
        this(settings.concurrency());
    }

    ProbeWorkers(int threads) {
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "probe-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** {@code work} applied to each item on the workers, the results in the items' order. */
    <T, R> List<R> map(List<T> items, Function<T, R> work) {
        List<Future<R>> pending = new ArrayList<>(items.size());
        for (T item : items) {
            pending.add(executor.submit(() -> work.apply(item)));
        }
        List<R> results = new ArrayList<>(items.size());
        try {
            for (Future<R> future : pending) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            pending.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("probing was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a probe failed unexpectedly: " + e.getCause(), e.getCause());
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
