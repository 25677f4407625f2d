/**
 * The single door for getting a certificate. Issuers (the built-in CA, later external ACME CAs) implement {@code spi.CertificateIssuer}; this module never names them.
 */
@ApplicationModule(displayName = "Issuance", allowedDependencies = {"shared", "pki"})
@NullMarked
package dev.certplane.issuance;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
