/**
 * Alerts: conditions an operator must act on (a certificate about to expire, later failed renewals and probe
 * drift), each open at most once per deduplication key, updated while the condition changes and resolved when it
 * ends. Features raise and resolve them through {@link dev.certplane.alerts.Alerts}; operators read them at
 * {@code /api/alerts}. Opened, escalated and resolved alerts reach operators through notification channels
 * (webhook, Slack, e-mail; {@code /api/notification-channels}) from an outbox written with the alert change.
 */
@ApplicationModule(displayName = "Alerts", allowedDependencies = {"shared", "secrets"})
@NullMarked
package dev.certplane.alerts;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
