/**
 * Operators: users, permissions, API tokens, login throttling, and the filter chains for the UI (session and CSRF), {@code /api/**} (Bearer token or HTTP Basic) and {@code /acme/**} (open here; JWS authenticates it).
 */
@ApplicationModule(displayName = "Security", allowedDependencies = {"shared"})
@NullMarked
package dev.certplane.security;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
