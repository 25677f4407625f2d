/**
 * Pure X.509 toolkit: keys, PEM, CSRs, certificate building and signing, linting, fingerprints. No Spring, no I/O and no clock: callers pass time in. Hostile input (CSRs, PEM uploads) is parsed here, so it carries the densest tests.
 */
@ApplicationModule(displayName = "PKI", allowedDependencies = {})
@NullMarked
package dev.certplane.pki;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
