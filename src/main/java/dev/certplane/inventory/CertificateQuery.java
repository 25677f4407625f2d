package dev.certplane.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A search of the inventory: every criterion is optional and they combine with AND.
 *
 * @param text a prefix of a subject or issuer common name or organization, a DNS name or one of its parent
 *     domains, an IP address, a fingerprint (SHA-256 or SHA-1) or a serial, case-insensitive
 * @param statuses any of these; empty for all
 * @param issuer the issuer's common name, exactly
 * @param sort one of {@link #SORTS}
 */
public record CertificateQuery(@Nullable String text, Set<CertificateStatus> statuses, @Nullable String organization,
        boolean leafOnly, @Nullable String issuer, @Nullable String source, @Nullable Instant expiresBefore,
        @Nullable Instant expiresAfter, String sort, boolean descending) {

    public static final List<String> SORTS = List.of("notAfter", "notBefore", "subject", "issuer", "status",
            "createdAt");
    public static final List<String> SOURCES = List.of("issued", "acme", "imported", "discovered");

    public CertificateQuery {
        statuses = Set.copyOf(statuses);
        text = text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
        if (text != null && text.length() > 255) {
            throw new IllegalArgumentException("q must be at most 255 characters");
        }
        if (!SORTS.contains(sort)) {
            throw new IllegalArgumentException("sort must be one of " + SORTS);
        }
        if (source != null && !SOURCES.contains(source)) {
            throw new IllegalArgumentException("source must be one of " + SOURCES);
        }
    }

    public static CertificateQuery all() {
        return new CertificateQuery(null, Set.of(), null, false, null, null, null, null, "notAfter", false);
    }
}
