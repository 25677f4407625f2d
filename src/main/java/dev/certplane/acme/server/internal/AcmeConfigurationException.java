package dev.certplane.acme.server.internal;

/** A setting under {@code certplane.acme} is invalid; the message names it. Stops start-up. */
class AcmeConfigurationException extends RuntimeException {

    AcmeConfigurationException(String message) {
        super(message);
    }
}
