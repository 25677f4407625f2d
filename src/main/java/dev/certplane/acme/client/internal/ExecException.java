package dev.certplane.acme.client.internal;

/** An operator's program could not be run, failed or ran out of time; the message says which and how. */
class ExecException extends Exception {

    ExecException(String message) {
        super(message);
    }
}
