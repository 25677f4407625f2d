package dev.certplane.secrets;

/** The master key is missing, malformed, or not the key this installation's secrets were written with. */
public class MasterKeyException extends RuntimeException {

    public MasterKeyException(String message) {
        super(message);
    }
}
