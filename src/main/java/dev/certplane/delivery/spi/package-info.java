/** What the delivery module asks of the module that confirms deliveries reached the endpoints. */
@NamedInterface("spi")
@NullMarked
package dev.certplane.delivery.spi;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
