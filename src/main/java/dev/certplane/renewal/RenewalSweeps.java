package dev.certplane.renewal;

import java.util.List;

import dev.certplane.renewal.internal.SweepRunner;
import dev.certplane.renewal.internal.store.SweepStore;
import dev.certplane.shared.RequestOrigin;

import org.springframework.stereotype.Service;

/** Runs the renewal sweep on demand and lists what past sweeps did. */
@Service
public class RenewalSweeps {

    public static final int MAX_LISTED = 100;

    private final SweepRunner runner;
    private final SweepStore store;

    RenewalSweeps(SweepRunner runner, SweepStore store) {
        this.runner = runner;
        this.store = store;
    }

    /**
     * Runs a sweep now, on this replica, and returns what it did.
     *
     * @throws RenewalConflictException if a sweep is running
     */
    public SweepSummary sweepNow() {
        return runner.run("manual", RequestOrigin.current().actor());
    }

    public List<SweepSummary> latest(int limit) {
        return store.latest(Math.max(1, Math.min(limit, MAX_LISTED))).stream().map(SweepRunner::summary).toList();
    }
}
