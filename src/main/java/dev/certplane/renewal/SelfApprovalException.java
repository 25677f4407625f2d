package dev.certplane.renewal;

/** The requester of a change tried to decide it (answered as 403): another operator must. */
public class SelfApprovalException extends RuntimeException {

    public SelfApprovalException(String message) {
        super(message);
    }
}
