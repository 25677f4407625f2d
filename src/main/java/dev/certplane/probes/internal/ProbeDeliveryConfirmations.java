package dev.certplane.probes.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.certplane.delivery.spi.DeliveryConfirmation;
import dev.certplane.delivery.spi.DeliveryConfirmations;
import dev.certplane.probes.internal.store.ConfirmationStore;

import org.springframework.stereotype.Component;

/** Shows the delivery module the confirmation each delivery started. */
@Component
class ProbeDeliveryConfirmations implements DeliveryConfirmations {

    private final ConfirmationStore store;

    ProbeDeliveryConfirmations(ConfirmationStore store) {
        this.store = store;
    }

    @Override
    public Map<String, DeliveryConfirmation> of(Collection<String> deliveryIds) {
        Map<String, DeliveryConfirmation> found = new LinkedHashMap<>();
        store.byReferences(Confirmation.DELIVERY, deliveryIds).forEach((deliveryId, c) -> found.put(deliveryId,
                new DeliveryConfirmation(c.state(), c.version(), c.startedAt(), c.deadline(), c.endpoints().stream()
                        .map(e -> new DeliveryConfirmation.Endpoint(e.targetId(), e.address(), e.sni(), e.state().wire(),
                                e.attempts(), e.lastStatus() == null ? null : e.lastStatus().wire(), e.servedVersion(),
                                e.concludedAt()))
                        .toList())));
        return found;
    }
}
