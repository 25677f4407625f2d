package dev.certplane.inventory.internal.web;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.certplane.inventory.CertificateQuery;
import dev.certplane.inventory.CertificateStatus;

import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The inventory page's filters, bound from the query string with the same names as {@code /api/certificates},
 * so a page address, its CSV export and the API answer the same question.
 *
 * @param status statuses, repeated or comma-separated
 */
record InventoryFilters(@Nullable String q, @Nullable List<String> status, @Nullable String organization,
        @Nullable Boolean leafOnly, @Nullable String issuer, @Nullable String source,
        @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant expiresBefore,
        @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant expiresAfter) {

    /** @throws IllegalArgumentException naming the bad value */
    CertificateQuery query() {
        return new CertificateQuery(q, statuses(), blankToNull(organization), leaf(), blankToNull(issuer),
                blankToNull(source), expiresBefore, expiresAfter, "notAfter", false);
    }

    Set<CertificateStatus> statuses() {
        Set<CertificateStatus> statuses = EnumSet.noneOf(CertificateStatus.class);
        for (String entry : status == null ? List.<String>of() : status) {
            for (String part : entry.split(",")) {
                if (!part.isBlank()) {
                    statuses.add(CertificateStatus.parse(part));
                }
            }
        }
        return statuses;
    }

    /** The statuses as their wire names, for the check boxes; unknown names are left out. */
    List<String> checked() {
        try {
            return statuses().stream().map(CertificateStatus::wire).toList();
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Public: templates call it. */
    public boolean leaf() {
        return Boolean.TRUE.equals(leafOnly);
    }

    /** The query string for these filters and a page, for links (pages, export). */
    String queryString(int page) {
        UriComponentsBuilder uri = UriComponentsBuilder.newInstance();
        add(uri, "q", q);
        checked().forEach(s -> uri.queryParam("status", s));
        add(uri, "organization", organization);
        if (leaf()) {
            uri.queryParam("leafOnly", "true");
        }
        add(uri, "issuer", issuer);
        add(uri, "source", source);
        add(uri, "expiresBefore", expiresBefore == null ? null : expiresBefore.toString());
        add(uri, "expiresAfter", expiresAfter == null ? null : expiresAfter.toString());
        if (page > 0) {
            uri.queryParam("page", page);
        }
        String query = uri.encode().build().getQuery();
        return query == null ? "" : "?" + query;
    }

    private static void add(UriComponentsBuilder uri, String name, @Nullable String value) {
        if (value != null && !value.isBlank()) {
            uri.queryParam(name, value.strip());
        }
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
