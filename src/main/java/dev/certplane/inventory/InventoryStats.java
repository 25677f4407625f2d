package dev.certplane.inventory;

/**
 * The dashboard counts.
 *
 * @param hostsWithExpiring distinct hosts serving a certificate that is expiring soon, expiring or expired
 */
public record InventoryStats(long total, long valid, long expiringSoon, long expiring, long expired, long revoked,
        long hostsWithExpiring) {
}
