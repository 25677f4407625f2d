package dev.certplane.inventory.spi;

import java.util.List;
import java.util.Optional;

import dev.certplane.issuance.IssuanceProfile;

/** What profiles allow; implemented by the module that owns profiles. */
public interface ProfilePolicy {

    /**
     * @return the names in canonical form (lower-case DNS names, shortest IP text), in the given order
     * @throws IllegalArgumentException naming the profile or the first name that is refused, and why
     */
    List<String> admit(String profile, List<String> names);

    /** The ACME directory where edge clients present certificate tokens of this profile; empty if it takes none. */
    Optional<String> tokenDirectory(String profile);

    /**
     * How the built-in CA issues under this profile (validity, key usage), for renewals Certplane runs itself.
     *
     * @throws IllegalArgumentException if there is no such profile
     */
    IssuanceProfile issuanceProfile(String profile);
}
