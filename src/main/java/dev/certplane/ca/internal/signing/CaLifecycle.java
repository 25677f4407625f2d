package dev.certplane.ca.internal.signing;

import java.time.Clock;
import java.time.Duration;

import dev.certplane.ca.internal.store.IssuedCertificateStore;
import dev.certplane.shared.StartupStep;

import org.springframework.stereotype.Component;

/**
 * Brings the CA up before anything serves: after all beans exist (so audit events reach their listener)
 * and before the web server starts.
 */
@Component
class CaLifecycle extends StartupStep {

    /** Before the server certificate (phase -100) and the web server. */
    static final int PHASE = -200;
    /** An intent older than this cannot belong to a signature still in progress. */
    private static final Duration STALE_INTENT = Duration.ofMinutes(10);

    private final CaKeeper keeper;
    private final IssuedCertificateStore issued;
    private final Clock clock;

    CaLifecycle(CaKeeper keeper, IssuedCertificateStore issued, Clock clock) {
        super(PHASE);
        this.keeper = keeper;
        this.issued = issued;
        this.clock = clock;
    }

    @Override
    protected void run() {
        keeper.ensureActive();
        issued.abandonOpenIntentsBefore(clock.instant().minus(STALE_INTENT));
    }
}
