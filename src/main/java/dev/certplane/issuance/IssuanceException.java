package dev.certplane.issuance;

/** An issuer refused or failed to issue; the message says why in terms an operator can act on. */
public class IssuanceException extends RuntimeException {

    public IssuanceException(String message) {
        super(message);
    }

    public IssuanceException(String message, Throwable cause) {
        super(message, cause);
    }
}
