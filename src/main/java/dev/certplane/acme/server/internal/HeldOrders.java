package dev.certplane.acme.server.internal;

import dev.certplane.renewal.AcmeOrderRenewalDecided;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Ends orders held for change approval when their change is decided: approved (and released by the renewal sweep)
 * orders are issued, rejected or superseded ones fail. The events are kept in the publication registry until
 * handled, so a restart in between delivers them again; handling one twice changes nothing.
 */
@Component
class HeldOrders {

    private final Orders orders;

    HeldOrders(Orders orders) {
        this.orders = orders;
    }

    @ApplicationModuleListener
    void decided(AcmeOrderRenewalDecided event) {
        if (event.approved()) {
            orders.releaseHeld(event.orderId(), event.attemptId());
        } else {
            orders.refuseHeld(event.orderId(), event.attemptId(), event.reason() == null
                    ? "the change was not approved" : event.reason());
        }
    }
}
