package dev.certplane.acme.protocol;

/**
 * The ACME error types this server answers with (RFC 8555 6.7, RFC 9773 7.4 for {@code alreadyReplaced},
 * the ACME profiles extension for {@code invalidProfile}) and the HTTP status each carries by default.
 */
public enum ProblemType {
    ACCOUNT_DOES_NOT_EXIST("accountDoesNotExist", 400),
    ALREADY_REPLACED("alreadyReplaced", 409),
    ALREADY_REVOKED("alreadyRevoked", 400),
    BAD_CSR("badCSR", 400),
    BAD_NONCE("badNonce", 400),
    BAD_PUBLIC_KEY("badPublicKey", 400),
    BAD_REVOCATION_REASON("badRevocationReason", 400),
    BAD_SIGNATURE_ALGORITHM("badSignatureAlgorithm", 400),
    CAA("caa", 403),
    COMPOUND("compound", 403),
    CONNECTION("connection", 400),
    DNS("dns", 400),
    EXTERNAL_ACCOUNT_REQUIRED("externalAccountRequired", 403),
    INCORRECT_RESPONSE("incorrectResponse", 403),
    INVALID_CONTACT("invalidContact", 400),
    INVALID_PROFILE("invalidProfile", 400),
    MALFORMED("malformed", 400),
    ORDER_NOT_READY("orderNotReady", 403),
    REJECTED_IDENTIFIER("rejectedIdentifier", 400),
    SERVER_INTERNAL("serverInternal", 500),
    TLS("tls", 400),
    UNAUTHORIZED("unauthorized", 403),
    UNSUPPORTED_CONTACT("unsupportedContact", 400),
    UNSUPPORTED_IDENTIFIER("unsupportedIdentifier", 400),
    USER_ACTION_REQUIRED("userActionRequired", 403);

    private static final String PREFIX = "urn:ietf:params:acme:error:";

    private final String name;
    private final int status;

    ProblemType(String name, int status) {
        this.name = name;
        this.status = status;
    }

    public String urn() {
        return PREFIX + name;
    }

    public int status() {
        return status;
    }
}
