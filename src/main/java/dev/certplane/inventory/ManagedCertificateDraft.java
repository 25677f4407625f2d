package dev.certplane.inventory;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** What an operator gives to create or change a managed certificate; checked by {@link ManagedCertificates}. */
public record ManagedCertificateDraft(String name, List<String> names, String profile, @Nullable String owner,
        @Nullable String organization, List<String> tags) {

    public ManagedCertificateDraft {
        names = List.copyOf(names);
        tags = List.copyOf(tags);
    }
}
