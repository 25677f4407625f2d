package dev.certplane.tls.internal;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Makes sure a current CA-issued server certificate is in the bundle and the CA bundle file is written,
 * after the CA is up (phase -200) and before the web server binds its port.
 */
@Component
class ServerTlsLifecycle implements SmartLifecycle {

    private final ServerCertificateRotation rotation;
    private volatile boolean running;

    ServerTlsLifecycle(ServerCertificateRotation rotation) {
        this.rotation = rotation;
    }

    @Override
    public void start() {
        rotation.rotateIfDue();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return -100;
    }
}
