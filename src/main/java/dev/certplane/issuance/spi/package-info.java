/** The issuer SPI that the built-in CA and external ACME CAs implement. */
@NamedInterface("spi")
@NullMarked
package dev.certplane.issuance.spi;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
