package dev.certplane.pki;

/** The keyUsage bits (RFC 5280 4.2.1.3) Certplane sets; the others are never needed for TLS. */
public enum KeyUsageBit {
    DIGITAL_SIGNATURE, KEY_ENCIPHERMENT, KEY_CERT_SIGN, CRL_SIGN
}
