package dev.certplane.delivery.spi;

import java.util.Collection;
import java.util.Map;

/** Whether what was delivered is served: implemented by the module that probes endpoints. */
public interface DeliveryConfirmations {

    /** The confirmation of each of these deliveries that has one, by delivery id. */
    Map<String, DeliveryConfirmation> of(Collection<String> deliveryIds);
}
