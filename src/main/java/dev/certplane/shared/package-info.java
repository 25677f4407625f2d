/**
 * The tiny kernel every module may use: the one {@link java.time.Clock}, the audit record that modules
 * publish as an event, and who/where a request came from. Kept under ten types on purpose.
 */
@ApplicationModule(displayName = "Shared kernel", type = ApplicationModule.Type.OPEN)
package dev.certplane.shared;

import org.springframework.modulith.ApplicationModule;
