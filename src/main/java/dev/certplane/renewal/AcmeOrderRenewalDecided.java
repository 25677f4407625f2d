package dev.certplane.renewal;

import org.jspecify.annotations.Nullable;

/**
 * The change record of an ACME server order held for approval was decided: when approved, the next sweep released
 * the order (issue it now); when rejected, the order fails with {@code reason}. Published in the transaction that
 * records it; {@code orderId} is the order's id in the ACME server.
 */
public record AcmeOrderRenewalDecided(String attemptId, String orderId, boolean approved, @Nullable String reason) {
}
