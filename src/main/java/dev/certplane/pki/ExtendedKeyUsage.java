package dev.certplane.pki;

/** The extendedKeyUsage purposes (RFC 5280 4.2.1.12) Certplane issues. */
public enum ExtendedKeyUsage {
    SERVER_AUTH("1.3.6.1.5.5.7.3.1"),
    CLIENT_AUTH("1.3.6.1.5.5.7.3.2"),
    OCSP_SIGNING("1.3.6.1.5.5.7.3.9");

    private final String oid;

    ExtendedKeyUsage(String oid) {
        this.oid = oid;
    }

    /** The KeyPurposeId OID in dotted form, as returned by {@link java.security.cert.X509Certificate#getExtendedKeyUsage()}. */
    public String oid() {
        return oid;
    }
}
