package dev.certplane.inventory.internal;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import dev.certplane.inventory.Inventory;
import dev.certplane.issuance.CertificateIssued;
import dev.certplane.issuance.CertificateRevoked;
import dev.certplane.pki.Pem;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Puts every certificate an issuer signs into the inventory, and marks revocations. The events come through
 * the event publication registry, so one published just before a crash is delivered after the restart.
 */
@Component
class IssuanceListener {

    private final Inventory inventory;

    IssuanceListener(Inventory inventory) {
        this.inventory = inventory;
    }

    @ApplicationModuleListener
    void on(CertificateIssued issued) {
        List<X509Certificate> chain = new ArrayList<>(Pem.decodeCertificates(issued.chainPem()));
        chain.add(Pem.decodeCertificate(issued.rootPem()));
        inventory.record(chain, "issued", "ca:" + issued.issuer(), null);
    }

    @ApplicationModuleListener
    void on(CertificateRevoked revoked) {
        inventory.markRevoked(revoked.issuerDn(), revoked.serialHex(), revoked.revokedAt());
    }
}
