/**
 * Certplane's own HTTPS certificate: issued by the built-in CA, served by the embedded web server, renewed before expiry without a restart; also writes the CA bundle clients trust.
 */
@ApplicationModule(displayName = "Server TLS", allowedDependencies = {"shared", "pki", "secrets", "issuance"})
@NullMarked
package dev.certplane.tls;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
