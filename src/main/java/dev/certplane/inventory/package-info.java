/**
 * Every certificate Certplane knows, with parsed metadata, status and rating; managed certificates (a name
 * set, a profile, an owner) and their versions; the expiry loop that keeps status current and raises alerts. The profile a managed certificate names is checked through
 * {@code spi.ProfilePolicy}, which the module owning profiles implements.
 */
@ApplicationModule(displayName = "Inventory",
        allowedDependencies = {"shared", "pki", "secrets", "issuance", "alerts", "handshake"})
@NullMarked
package dev.certplane.inventory;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
