/**
 * The built-in certificate authority: root and issuing intermediate (generated or imported), keys encrypted at rest, and signing that always goes prepare, lint, record intent, sign, store.
 */
@ApplicationModule(displayName = "Built-in CA", allowedDependencies = {"shared", "pki", "secrets", "issuance :: spi", "issuance"})
@NullMarked
package dev.certplane.ca;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
