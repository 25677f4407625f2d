package dev.certplane.probes.internal;

/** The request clashes with what exists: another target probes the endpoint, or the target is disabled. */
public class ProbeTargetConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ProbeTargetConflictException(String message) {
        super(message);
    }
}
