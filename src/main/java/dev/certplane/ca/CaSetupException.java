package dev.certplane.ca;

/** The built-in CA could not be created, imported or loaded; the message names the file or setting at fault. */
public class CaSetupException extends RuntimeException {

    public CaSetupException(String message) {
        super(message);
    }

    public CaSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
