package dev.certplane.inventory.internal.discovery;

/** The request clashes with the target's state: a name in use, a disabled target, a run in progress. */
public final class ScanTargetConflictException extends RuntimeException {

    ScanTargetConflictException(String message) {
        super(message);
    }
}
