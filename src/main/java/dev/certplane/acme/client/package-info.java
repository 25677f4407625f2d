/**
 * Our ACME client to external CAs (Let's Encrypt, Google Trust Services, Sectigo, ZeroSSL, any RFC 8555 CA):
 * the issuer catalog and ACME issuers, each with its account key sealed at rest. Built on acme4j; no acme4j
 * type leaves this module.
 */
@ApplicationModule(displayName = "ACME client", allowedDependencies = {"shared", "pki", "secrets", "inventory", "acme.protocol"})
@NullMarked
package dev.certplane.acme.client;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
