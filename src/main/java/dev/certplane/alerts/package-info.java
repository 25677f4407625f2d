/**
 * Alerts: conditions an operator must act on (a certificate about to expire, later failed renewals and probe
 * drift), each open at most once per deduplication key, updated while the condition changes and resolved when it
 * ends. Features raise and resolve them through {@link dev.certplane.alerts.Alerts}; operators read them at
 * {@code /api/alerts}.
 */
@ApplicationModule(displayName = "Alerts", allowedDependencies = {"shared"})
@NullMarked
package dev.certplane.alerts;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
