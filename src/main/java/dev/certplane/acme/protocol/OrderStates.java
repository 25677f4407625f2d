package dev.certplane.acme.protocol;

import java.time.Instant;
import java.util.List;

/**
 * The one place an order's status is decided (RFC 8555 7.1.6): from how far finalization got, the order's
 * expiry and its authorizations' statuses as of now.
 */
public final class OrderStates {

    /** How far finalization got; before finalize, the authorizations decide. */
    public enum Progress {
        NONE, PROCESSING, ISSUED, FAILED
    }

    private OrderStates() {
    }

    public static OrderStatus status(Progress progress, Instant expires, List<AuthorizationStatus> authorizations,
            Instant now) {
        switch (progress) {
            case ISSUED:
                return OrderStatus.VALID;
            case FAILED:
                return OrderStatus.INVALID;
            case PROCESSING:
                return OrderStatus.PROCESSING;
            default:
                break;
        }
        // 7.1.6: an order that is not valid by its expiry becomes invalid.
        if (!now.isBefore(expires) || authorizations.isEmpty()) {
            return OrderStatus.INVALID;
        }
        boolean pending = false;
        for (AuthorizationStatus authorization : authorizations) {
            switch (authorization) {
                case VALID:
                    break;
                case PENDING:
                    pending = true;
                    break;
                default:
                    return OrderStatus.INVALID;
            }
        }
        return pending ? OrderStatus.PENDING : OrderStatus.READY;
    }
}
