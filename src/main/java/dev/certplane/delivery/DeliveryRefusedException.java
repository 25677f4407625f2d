package dev.certplane.delivery;

/** A token cannot be used for what was asked: revoked, expired, of another profile, or fully bound. */
public final class DeliveryRefusedException extends RuntimeException {

    DeliveryRefusedException(String message) {
        super(message, null, false, false);
    }
}
