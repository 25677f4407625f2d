/**
 * The UI shell: layout, login page, the dashboard, error pages and static assets. Feature pages live in their
 * feature; the dashboard lives here because it summarises several (inventory, alerts, audit).
 */
@ApplicationModule(displayName = "Web", allowedDependencies = {"shared", "security", "inventory", "alerts", "audit"})
@NullMarked
package dev.certplane.web;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
