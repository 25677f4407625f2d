package dev.certplane.delivery;

/** An operator asked for something the token's state does not allow, such as rotating a revoked token. */
public final class TokenStateException extends RuntimeException {

    TokenStateException(String message) {
        super(message, null, false, false);
    }
}
