package dev.certplane.acme.client.internal;

/** A DNS server or provider refused or did not answer; the message names the server and what was asked. */
class DnsException extends Exception {

    private final boolean permanent;

    DnsException(String message) {
        this(message, false);
    }

    /** @param permanent whether trying again cannot help: the provider refused the request itself (token, zone) */
    DnsException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    boolean permanent() {
        return permanent;
    }
}
