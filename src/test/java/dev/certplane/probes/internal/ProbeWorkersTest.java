package dev.certplane.probes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ProbeWorkersTest {

    @Test
    void exactlyTheConfiguredNumberOfProbesRunAtOnceAndResultsKeepTheirOrder() {
        int concurrency = 4;
        ProbeWorkers workers = new ProbeWorkers(concurrency);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // Each task waits until `concurrency` of them run together: the batch only finishes if the pool runs that
        // many at once, and `most` shows it never runs more.
        CyclicBarrier together = new CyclicBarrier(concurrency);
        try {
            List<Integer> results = workers.map(IntStream.range(0, 40).boxed().toList(), i -> {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the pool did not run " + concurrency + " probes at once", e);
                } finally {
                    inFlight.decrementAndGet();
                }
                return i * 2;
            });
            assertThat(results).containsExactlyElementsOf(IntStream.range(0, 40).map(i -> i * 2).boxed().toList());
            assertThat(most.get()).isEqualTo(concurrency);
        } finally {
            workers.stop();
        }
    }
}
