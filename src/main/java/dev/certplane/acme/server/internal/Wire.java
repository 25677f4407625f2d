package dev.certplane.acme.server.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import dev.certplane.acme.protocol.Identifier;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/** The JSON objects of RFC 8555 7.1 as this server sends them; absent members are {@code null}. */
final class Wire {

    private Wire() {
    }

    /** RFC 3339 without fractions of a second, which some clients mis-parse. */
    static @Nullable String time(@Nullable Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    record Directory(String newNonce, String newAccount, String newOrder, String revokeCert, String keyChange,
            String renewalInfo, DirectoryMeta meta) {
    }

    record DirectoryMeta(@Nullable String termsOfService, @Nullable String website, List<String> caaIdentities,
            boolean externalAccountRequired, Map<String, String> profiles) {
    }

    record AccountResource(String status, List<String> contact, boolean termsOfServiceAgreed, String orders,
            String createdAt) {
    }

    record OrderResource(String status, String expires, List<Identifier> identifiers, @Nullable String notBefore,
            @Nullable String notAfter, @Nullable JsonNode error, List<String> authorizations,
            @JsonProperty("finalize") String finalizeUrl,
            @Nullable String certificate, @Nullable String replaces, String profile) {
    }

    record AuthorizationResource(Identifier identifier, String status, String expires,
            List<ChallengeResource> challenges, @Nullable Boolean wildcard) {
    }

    /** RFC 8555 7.1.5; {@code token} is the field all three of our challenge types have (8.3, 8.4, RFC 8737 3). */
    record ChallengeResource(String type, String url, String status, String token, @Nullable String validated,
            @Nullable JsonNode error) {
    }

    record OrderList(List<String> orders) {
    }

    record RenewalInfo(SuggestedWindow suggestedWindow, @Nullable String explanationURL) {
    }

    record SuggestedWindow(String start, String end) {
    }
}
