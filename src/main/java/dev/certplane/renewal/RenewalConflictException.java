package dev.certplane.renewal;

/** A request that clashes with what exists: a second policy for a scope, an open attempt, a decided change (409). */
public class RenewalConflictException extends RuntimeException {

    public RenewalConflictException(String message) {
        super(message);
    }
}
