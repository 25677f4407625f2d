/**
 * Background work shared by features: db-scheduler wiring and the event publication resubmission task. Features define their own tasks.
 */
@ApplicationModule(displayName = "Jobs", allowedDependencies = {"shared"})
@NullMarked
package dev.certplane.jobs;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
