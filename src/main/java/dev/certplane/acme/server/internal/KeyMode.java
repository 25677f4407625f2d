package dev.certplane.acme.server.internal;

/** Which key a resource accepts in the JWS header (RFC 8555 6.2). */
enum KeyMode {
    /** newAccount: the account does not exist yet, so the request carries its key. */
    JWK,
    /** Everything else: the request names its account by URL. */
    KID,
    /** revokeCert: by the account, or by the certificate's own key (RFC 8555 7.6). */
    JWK_OR_KID
}
