package dev.certplane.acme.server.internal;

import dev.certplane.shared.StartupStep;

import org.springframework.stereotype.Component;

/** Writes the configured ACME profiles to the database before the server accepts requests. */
@Component
class ProfileSynchronization extends StartupStep {

    private final ProfileCatalog catalog;

    ProfileSynchronization(ProfileCatalog catalog) {
        super(0);
        this.catalog = catalog;
    }

    @Override
    protected void run() {
        catalog.synchronizeConfiguration();
    }
}
