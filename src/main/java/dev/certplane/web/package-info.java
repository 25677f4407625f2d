/**
 * The UI shell: layout, login page, home, error pages and static assets. Feature pages live in their feature.
 */
@ApplicationModule(displayName = "Web", allowedDependencies = {"shared", "security"})
@NullMarked
package dev.certplane.web;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
