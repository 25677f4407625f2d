package dev.certplane.acme.server.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.server.internal.validation.CaaPolicy;
import dev.certplane.acme.server.internal.validation.Cidr;
import dev.certplane.issuance.IssuanceProfile;
import dev.certplane.pki.ExtendedKeyUsage;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.PkiException;

import org.jspecify.annotations.Nullable;

/**
 * An ACME profile: one directory with its own auth mode, name policy, validity and accepted key types.
 *
 * @param allowedDomains {@code example.com} allows exactly that name (or {@code *.example.com} exactly that
 *     wildcard), {@code .example.com} any name below it including wildcards, {@code *} any name
 * @param allowedIpRanges CIDRs whose addresses may be certified (RFC 8738)
 * @param source {@code configuration} (read-only through the API) or {@code api}
 * @param caa whether challenge validation checks CAA records (RFC 8659), and for which issuer domain names
 * @param upstream the external ACME CA that issues this profile's certificates, or null for the built-in CA
 */
record Profile(String name, AuthMode authMode, List<String> allowedDomains, List<String> allowedIpRanges,
        Duration validity, Set<KeyType> keyTypes, String description, String source, CaaPolicy caa,
        @Nullable Upstream upstream) {

    /**
     * Upstream delivery: finalize sends the client's CSR to this ACME issuer (of the ACME client), proving the
     * names with {@code challenge} (dns-01 through {@code dnsProvider}, or http-01 through the built-in responder).
     */
    record Upstream(String issuer, @Nullable String dnsProvider, String challenge) {
    }

    static final String FROM_CONFIGURATION = "configuration";
    static final String FROM_API = "api";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> RESERVED = Set.of("directory", "new-nonce", "new-account", "new-order",
            "revoke-cert", "key-change", "renewal-info");

    Profile {
        allowedDomains = List.copyOf(allowedDomains);
        allowedIpRanges = List.copyOf(allowedIpRanges);
        keyTypes = Set.copyOf(keyTypes);
    }

    /**
     * Builds a profile from untrusted text (configuration or the API).
     *
     * @throws IllegalArgumentException with a message naming the field and what is wrong
     */
    static Profile of(String name, String authMode, List<String> allowedDomains, List<String> allowedIpRanges,
            Duration validity, List<String> keyTypes, String description, String source) {
        if (!NAME.matcher(name).matches() || RESERVED.contains(name)) {
            throw new IllegalArgumentException("profile name '" + name + "' must be 1 to 63 lower-case letters, digits"
                    + " or hyphens, and not one of " + RESERVED);
        }
        AuthMode mode = AuthMode.parse(authMode);
        List<String> domains = new ArrayList<>();
        for (String entry : allowedDomains) {
            domains.add(domainRule(entry.trim().toLowerCase(Locale.ROOT)));
        }
        List<String> ranges = new ArrayList<>();
        for (String entry : allowedIpRanges) {
            try {
                ranges.add(Cidr.parse(entry.trim()).text());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allowed-ip-ranges entry " + e.getMessage(), e);
            }
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive, such as 90d or 6d");
        }
        Set<KeyType> types = EnumSet.noneOf(KeyType.class);
        for (String type : keyTypes.isEmpty() ? defaultKeyTypes() : keyTypes) {
            try {
                types.add(KeyType.parse(type));
            } catch (PkiException e) {
                throw new IllegalArgumentException("key-types: " + e.getMessage(), e);
            }
        }
        if (description.length() > 500) {
            throw new IllegalArgumentException("description must be at most 500 characters");
        }
        return new Profile(name, mode, List.copyOf(new LinkedHashSet<>(domains)), ranges, validity, types,
                description, source, CaaPolicy.DISABLED, null);
    }

    /**
     * This profile with CAA checking switched on or off.
     *
     * @param issuerDomains the names CAA {@code issue} records must carry for this profile's certificates
     * @throws IllegalArgumentException if checking is on without a valid issuer domain name
     */
    Profile withCaa(boolean enabled, List<String> issuerDomains) {
        List<String> domains = new ArrayList<>();
        for (String entry : issuerDomains) {
            String domain = entry.trim().toLowerCase(Locale.ROOT);
            try {
                if (Identifier.dns(domain).isWildcard()) {
                    throw new IllegalArgumentException("caa-identities entry '" + entry + "' must not be a wildcard");
                }
            } catch (AcmeProblem e) {
                throw new IllegalArgumentException("caa-identities entry '" + entry + "': " + e.detail(), e);
            }
            domains.add(domain);
        }
        if (enabled && domains.isEmpty()) {
            throw new IllegalArgumentException("caa is on but caa-identities is empty; list the issuer domain names"
                    + " that CAA records must name to allow this profile, such as certplane.example.com");
        }
        return new Profile(name, authMode, allowedDomains, allowedIpRanges, validity, keyTypes, description, source,
                new CaaPolicy(enabled, List.copyOf(new LinkedHashSet<>(domains))), upstream);
    }

    /**
     * This profile issuing through an external ACME CA instead of the built-in one.
     *
     * @param issuer the ACME issuer's name, or null for the built-in CA
     * @throws IllegalArgumentException if the challenge is not dns-01 or http-01, or dns-01 has no DNS provider
     */
    Profile withUpstream(@Nullable String issuer,
            @Nullable String dnsProvider, @Nullable String challenge) {
        Upstream chosen = null;
        if (issuer != null && !issuer.isBlank()) {
            String type = challenge == null || challenge.isBlank() ? "dns-01" : challenge.trim();
            if (!type.equals("dns-01") && !type.equals("http-01")) {
                throw new IllegalArgumentException("upstream-challenge '" + challenge + "' must be dns-01 or http-01");
            }
            String provider = dnsProvider == null || dnsProvider.isBlank() ? null : dnsProvider.trim();
            if (type.equals("dns-01") && provider == null) {
                throw new IllegalArgumentException("upstream-challenge dns-01 needs upstream-dns-provider, the name of"
                        + " a DNS provider of the ACME client");
            }
            chosen = new Upstream(issuer.trim(), provider, type);
        }
        return new Profile(name, authMode, allowedDomains, allowedIpRanges, validity, keyTypes, description, source, caa,
                chosen);
    }

    static List<String> defaultKeyTypes() {
        return java.util.Arrays.stream(KeyType.values()).map(KeyType::configName).toList();
    }

    /** Why this profile does not allow {@code identifier}, or empty if it does. */
    Optional<String> refusal(Identifier identifier) {
        if (identifier.type().equals(Identifier.IP)) {
            for (String range : allowedIpRanges) {
                if (Cidr.parse(range).contains(identifier.value())) {
                    return Optional.empty();
                }
            }
            return Optional.of("profile '" + name + "' does not allow IP address " + identifier.value()
                    + (allowedIpRanges.isEmpty() ? " (it allows no IP ranges)" : " (allowed ranges: " + allowedIpRanges + ")"));
        }
        String value = identifier.value();
        for (String rule : allowedDomains) {
            if (rule.equals("*") || rule.equals(value)
                    || (rule.startsWith(".") && value.endsWith(rule) && value.length() > rule.length())) {
                return Optional.empty();
            }
        }
        return Optional.of("profile '" + name + "' does not allow " + value
                + (allowedDomains.isEmpty() ? " (it allows no names; set certplane.acme.profiles." + name
                        + ".allowed-domains)" : " (allowed: " + String.join(", ", allowedDomains) + ")"));
    }

    /** How certificates of this profile are issued: by the built-in CA, as TLS server certificates. */
    IssuanceProfile issuanceProfile() {
        return new IssuanceProfile("acme:" + name, "internal", validity, List.of(ExtendedKeyUsage.SERVER_AUTH));
    }

    private static String domainRule(String entry) {
        if (entry.equals("*")) {
            return entry;
        }
        String name = entry.startsWith(".") ? entry.substring(1) : entry;
        try {
            Identifier.dns(name);
        } catch (AcmeProblem e) {
            throw new IllegalArgumentException("allowed-domains entry '" + entry + "': " + e.detail(), e);
        }
        return entry;
    }
}
