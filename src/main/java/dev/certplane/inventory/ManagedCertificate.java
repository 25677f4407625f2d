package dev.certplane.inventory;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The logical certificate that gets renewed: a name set under a profile, with an owner.
 *
 * @param currentVersion the version that is served, {@code null} before the first issuance
 * @param latestVersion the highest version number so far, 0 before the first issuance
 */
public record ManagedCertificate(String id, String name, List<String> names, String profile, @Nullable String owner,
        @Nullable String organization, List<String> tags, @Nullable Integer currentVersion, int latestVersion,
        Instant createdAt, Instant updatedAt) {

    public ManagedCertificate {
        names = List.copyOf(names);
        tags = List.copyOf(tags);
    }
}
