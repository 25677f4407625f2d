/** What the inventory asks of the module that owns profiles. */
@NamedInterface("spi")
@NullMarked
package dev.certplane.inventory.spi;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
