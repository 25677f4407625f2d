package dev.certplane.delivery.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certplane.delivery.*}.
 *
 * @param expiryCheckInterval how often expired tokens are looked for to put their expiry in the audit trail
 */
@ConfigurationProperties("certplane.delivery")
record DeliverySettings(@DefaultValue("1m") Duration expiryCheckInterval) {

    DeliverySettings {
        if (expiryCheckInterval.isNegative() || expiryCheckInterval.isZero()) {
            throw new IllegalArgumentException("certplane.delivery.expiry-check-interval must be positive, such as 1m");
        }
    }
}
