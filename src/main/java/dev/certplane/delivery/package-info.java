/**
 * Certificate tokens: EAB credentials (RFC 8555 7.3.4) scoped to one managed certificate, the ACME accounts
 * bound to them, and the evidence of every delivery. {@link dev.certplane.delivery.CertificateTokens} serves
 * operators; {@link dev.certplane.delivery.Delivery} serves the ACME server.
 */
@ApplicationModule(displayName = "Delivery", allowedDependencies = {"shared", "secrets", "inventory", "inventory :: spi"})
@NullMarked
package dev.certplane.delivery;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
