package dev.certplane.acme.server.internal;

import dev.certplane.acme.client.UpstreamCertificateFailed;
import dev.certplane.acme.client.UpstreamCertificateIssued;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Ends orders sent upstream when their workflow ends. The events are kept in the publication registry until
 * handled, so a restart in between delivers them again; handling twice changes nothing.
 */
@Component
class UpstreamResults {

    private static final String ORDER = "acme-order:";

    private final Orders orders;

    UpstreamResults(Orders orders) {
        this.orders = orders;
    }

    @ApplicationModuleListener
    void issued(UpstreamCertificateIssued event) {
        if (event.reference().startsWith(ORDER)) {
            orders.completeUpstream(event.reference().substring(ORDER.length()), event.chainPem(), event.issuerName());
        }
    }

    @ApplicationModuleListener
    void failed(UpstreamCertificateFailed event) {
        if (event.reference().startsWith(ORDER)) {
            orders.failUpstream(event.reference().substring(ORDER.length()), event.error());
        }
    }
}
