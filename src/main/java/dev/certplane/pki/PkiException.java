package dev.certplane.pki;

/**
 * A PKI operation failed: input could not be parsed, a signature did not verify, or a certificate
 * spec was refused. Unchecked so callers can let it reach the web layer, which turns the message
 * into a 400 or a form error; the message is therefore written for humans and says what was
 * expected and what was found. Underlying BouncyCastle or JDK exceptions are kept as the cause and
 * never thrown on their own.
 */
public final class PkiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
