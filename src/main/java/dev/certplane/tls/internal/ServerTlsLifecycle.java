package dev.certplane.tls.internal;

import dev.certplane.shared.StartupStep;

import org.springframework.stereotype.Component;

/**
 * Makes sure a current CA-issued server certificate is in the bundle and the CA bundle file is written,
 * after the CA is up (phase -200) and before the web server binds its port.
 */
@Component
class ServerTlsLifecycle extends StartupStep {

    private final ServerCertificateRotation rotation;

    ServerTlsLifecycle(ServerCertificateRotation rotation) {
        super(-100);
        this.rotation = rotation;
    }

    @Override
    protected void run() {
        rotation.rotateIfDue();
    }
}
