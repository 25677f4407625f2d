package dev.certplane.acme.client;

/** Another ACME issuer already has the name (compared without letter case). */
public class IssuerNameTakenException extends RuntimeException {

    public IssuerNameTakenException(String name) {
        super("an ACME issuer named '" + name + "' exists");
    }
}
