/**
 * Our RFC 8555 ACME server (with RFC 8738 IP identifiers and RFC 9773 renewal information): per-profile
 * directories, accounts, orders, authorizations, finalize (holding orders of change-gated managed certificates
 * until their change is decided), download, revocation and key change. Every
 * request passes one authenticator (parse, key, signature, url, nonce) before a controller sees it.
 */
@ApplicationModule(displayName = "ACME server",
        allowedDependencies = {"shared", "pki", "secrets", "issuance", "acme.protocol", "acme.client", "delivery",
                "inventory :: spi", "renewal"})
@NullMarked
package dev.certplane.acme.server;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
