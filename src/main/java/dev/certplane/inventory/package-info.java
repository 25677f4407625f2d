/**
 * Managed certificates (a name set, a profile, an owner) and their versions, one per issued certificate,
 * with the certificates themselves. The profile a managed certificate names is checked through
 * {@code spi.ProfilePolicy}, which the module owning profiles implements.
 */
@ApplicationModule(displayName = "Inventory", allowedDependencies = {"shared", "pki", "secrets", "alerts"})
@NullMarked
package dev.certplane.inventory;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
