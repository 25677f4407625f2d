/**
 * Endpoint probes: scheduled TLS handshakes with the endpoints that should serve a managed certificate, each
 * classified against what the inventory says they should serve ({@code ok}, {@code stale}, {@code mismatch},
 * {@code incomplete_chain}, {@code hostname_mismatch}, {@code expired}, {@code unreachable}), with history, drift
 * alerts, and the confirmation after every new version and every delivery that the endpoints serve it. Operators use
 * {@code /api/probes}; the delivery module reads confirmations through {@code delivery.spi}.
 */
@ApplicationModule(displayName = "Probes",
        allowedDependencies = {"shared", "pki", "handshake", "inventory", "alerts", "delivery", "delivery :: spi"})
@NullMarked
package dev.certplane.probes;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
