package dev.certplane.shared;

import org.springframework.context.SmartLifecycle;

/**
 * Work that must finish after every bean exists (so audit listeners are registered) and before the web
 * server opens its port, such as creating the CA. A lower phase runs first; the web server starts last.
 */
public abstract class StartupStep implements SmartLifecycle {

    private final int phase;
    private volatile boolean running;

    protected StartupStep(int phase) {
        this.phase = phase;
    }

    protected abstract void run();

    @Override
    public final void start() {
        run();
        running = true;
    }

    @Override
    public final void stop() {
        running = false;
    }

    @Override
    public final boolean isRunning() {
        return running;
    }

    @Override
    public final int getPhase() {
        return phase;
    }
}
