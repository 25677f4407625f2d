/**
 * TLS handshakes with other servers, as discovery scans and endpoint probes make them: the {@link
 * dev.certplane.handshake.TlsNetwork} port (tests replace it), its JDK implementation (TLS 1.3 and 1.2, trust
 * recorded rather than enforced, optional SMTP STARTTLS), and the host and SNI rules targets are checked with.
 */
@ApplicationModule(displayName = "TLS handshakes", allowedDependencies = {"pki"})
@NullMarked
package dev.certplane.handshake;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
