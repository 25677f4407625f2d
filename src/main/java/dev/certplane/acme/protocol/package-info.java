/**
 * The pure RFC 8555 / RFC 7515 / RFC 7638 vocabulary: problem types, statuses, identifiers, the flattened
 * JWS parser and verifier, JWKs and their thumbprints, certificate ids (RFC 9773). No Spring, no I/O and
 * no clock: this is where hostile input is parsed, so it is deterministic and densely tested.
 */
@ApplicationModule(displayName = "ACME protocol", allowedDependencies = {"pki"})
@NullMarked
package dev.certplane.acme.protocol;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
