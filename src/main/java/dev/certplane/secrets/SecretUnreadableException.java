package dev.certplane.secrets;

/** A stored secret could not be decrypted: the master key is not the one it was sealed with, or it was altered. */
public class SecretUnreadableException extends RuntimeException {

    public SecretUnreadableException(String message) {
        super(message);
    }
}
