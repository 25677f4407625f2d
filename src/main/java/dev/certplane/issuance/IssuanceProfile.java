package dev.certplane.issuance;

import java.time.Duration;
import java.util.List;

import dev.certplane.pki.ExtendedKeyUsage;

/**
 * An issuance template: which issuer signs, for how long, and for what use. The issuer may shorten the
 * validity (never beyond its own certificate) but never lengthens it.
 *
 * @param issuer the issuer kind, {@code internal} for the built-in CA
 */
public record IssuanceProfile(String name, String issuer, Duration validity, List<ExtendedKeyUsage> extendedKeyUsage) {

    public IssuanceProfile {
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("profile " + name + ": validity must be positive");
        }
    }
}
