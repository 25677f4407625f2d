package dev.certplane.renewal;

/** A renewal that cannot be dispatched, with the reason (answered as 422). */
public class RenewalRefusedException extends RuntimeException {

    public RenewalRefusedException(String reason) {
        super(reason);
    }
}
