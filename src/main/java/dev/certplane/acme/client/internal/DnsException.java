package dev.certplane.acme.client.internal;

/** A DNS server refused or did not answer; the message names the server and what was asked. */
class DnsException extends Exception {

    DnsException(String message) {
        super(message);
    }
}
