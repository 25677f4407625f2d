package dev.certplane.inventory.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certplane.inventory.expiry-loop-interval}: how long after one expiry loop ends the next one starts. The
 * thresholds the loop applies are {@link InventorySettings}'.
 */
@ConfigurationProperties("certplane.inventory")
public record ExpiryLoopSettings(@DefaultValue("1d") Duration expiryLoopInterval) {

    public ExpiryLoopSettings {
        if (expiryLoopInterval.isNegative() || expiryLoopInterval.isZero()) {
            throw new IllegalArgumentException("certplane.inventory.expiry-loop-interval must be positive, such as 1d"
                    + " or 6h");
        }
    }
}
