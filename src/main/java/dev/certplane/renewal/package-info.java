/**
 * Renewal: policies (how and when each managed certificate renews, by scope), the sweep that dispatches renewals
 * inside their window, attempts with their states and retry backoff, change records that gate renewals on approval,
 * and rollback to the previous version when a renewal fails. Operators use {@code /api/renewal-policies},
 * {@code /api/change-records} and the renewal routes of {@code /api/certificates} and
 * {@code /api/managed-certificates}; the ACME server holds orders of change-gated certificates through
 * {@link dev.certplane.renewal.Renewals}.
 */
@ApplicationModule(displayName = "Renewal",
        allowedDependencies = {"shared", "pki", "issuance", "inventory", "alerts", "acme.client"})
@NullMarked
package dev.certplane.renewal;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
