package dev.certplane.probes.internal;

import dev.certplane.delivery.CertificateDelivered;
import dev.certplane.inventory.ManagedCertificateVersionAdded;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Starts a confirmation after every new version of a managed certificate and every delivery of one. The events come
 * through the event publication registry after their transaction commits, so the issuance or the download that
 * published them is never slowed, and one published just before a crash is delivered after the restart.
 */
@Component
class ConfirmationTriggers {

    private final Confirmations confirmations;

    ConfirmationTriggers(Confirmations confirmations) {
        this.confirmations = confirmations;
    }

    @ApplicationModuleListener
    void on(ManagedCertificateVersionAdded added) {
        confirmations.start(added.managedCertificateId(), added.version(), added.fingerprintSha256(),
                Confirmation.VERSION, added.managedCertificateId() + ":" + added.version());
    }

    @ApplicationModuleListener
    void on(CertificateDelivered delivered) {
        confirmations.start(delivered.managedCertificateId(), delivered.version(), delivered.fingerprintSha256(),
                Confirmation.DELIVERY, delivered.deliveryId());
    }
}
