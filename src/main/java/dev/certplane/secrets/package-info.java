/**
 * Encryption at rest with the master key (AES-256-GCM). The master key comes from {@code CERTPLANE_MASTER_KEY} or a generated 0600 key file; a wrong key stops start-up, it never re-creates anything.
 */
@ApplicationModule(displayName = "Secrets", allowedDependencies = {"shared", "pki"})
@NullMarked
package dev.certplane.secrets;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
