package dev.certplane.inventory.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certplane.inventory.*}: the status thresholds, in days before {@code notAfter}.
 *
 * @param expiringSoonDays at or under this many days left a certificate is {@code expiring_soon}
 * @param expiringDays at or under this many days left it is {@code expiring}
 */
@ConfigurationProperties("certplane.inventory")
public record InventorySettings(@DefaultValue("30") int expiringSoonDays, @DefaultValue("7") int expiringDays) {

    public InventorySettings {
        if (expiringDays < 0 || expiringSoonDays <= expiringDays) {
            throw new IllegalArgumentException("certplane.inventory.expiring-soon-days (" + expiringSoonDays
                    + ") must be greater than certplane.inventory.expiring-days (" + expiringDays
                    + "), and both at least 0");
        }
    }
}
