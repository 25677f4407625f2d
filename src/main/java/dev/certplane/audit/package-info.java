/**
 * Append-only, hash-chained audit log. It listens to {@link dev.certplane.shared.AuditRecord} events through the event publication registry; no module calls into it to write.
 */
@ApplicationModule(displayName = "Audit", allowedDependencies = {"shared", "secrets"})
@NullMarked
package dev.certplane.audit;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
