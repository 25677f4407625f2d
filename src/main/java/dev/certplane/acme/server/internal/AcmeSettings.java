package dev.certplane.acme.server.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certplane.acme.*}: the ACME server's profiles and protocol settings.
 *
 * @param defaultProfile the profile {@code /acme/directory} serves
 * @param termsOfService when set, the directory announces it and new accounts must agree to it
 * @param nonceLifetime how long an issued nonce may be used
 * @param orderLifetime how long an order may take from creation to finalization
 * @param authorizationLifetime how long a valid authorization stays valid
 * @param maxRequestBytes the largest JWS body accepted
 * @param alternateChainWithRoot also offer the chain with the root certificate (RFC 8555 7.4.2 alternate link)
 * @param caaIdentities the issuer domain names of this CA (RFC 8659 4.2), announced in the directory and the
 *     default for profiles that check CAA
 */
@ConfigurationProperties("certplane.acme")
record AcmeSettings(@DefaultValue("default") String defaultProfile, @Nullable Map<String, ProfileSettings> profiles,
        @Nullable URI termsOfService, @Nullable URI website, @Nullable List<String> caaIdentities,
        @DefaultValue("1h") Duration nonceLifetime, @DefaultValue("7d") Duration orderLifetime,
        @DefaultValue("30d") Duration authorizationLifetime, @DefaultValue("65536") int maxRequestBytes,
        @DefaultValue("false") boolean alternateChainWithRoot) {

    AcmeSettings {
        profiles = profiles == null ? Map.of() : Map.copyOf(profiles);
        caaIdentities = caaIdentities == null ? List.of() : List.copyOf(caaIdentities);
        if (!profiles.containsKey(defaultProfile) && !defaultProfile.equals(SAFE_DEFAULT)) {
            throw new AcmeConfigurationException("certplane.acme.default-profile is '" + defaultProfile
                    + "' but no profile of that name is declared under certplane.acme.profiles");
        }
        // Fail at start-up, with the property named, rather than at the first request.
        configuredProfiles(defaultProfile, profiles, caaIdentities);
    }

    static final String SAFE_DEFAULT = "default";

    /**
     * The declared profiles, plus the built-in {@code default} when it is not declared: trust_authenticated
     * with no allowed names or addresses, so a fresh install issues nothing until an operator opens it up.
     */
    List<Profile> configuredProfiles() {
        return configuredProfiles(defaultProfile, profiles, caaIdentities);
    }

    private static List<Profile> configuredProfiles(String defaultProfile, Map<String, ProfileSettings> profiles,
            List<String> caaIdentities) {
        java.util.ArrayList<Profile> result = new java.util.ArrayList<>();
        profiles.forEach((name, p) -> {
            try {
                result.add(Profile.of(name, p.authMode(), p.allowedDomains() == null ? List.of() : p.allowedDomains(),
                        p.allowedIpRanges() == null ? List.of() : p.allowedIpRanges(), p.validity(),
                        p.keyTypes() == null ? List.of() : p.keyTypes(), p.description(), Profile.FROM_CONFIGURATION)
                        .withCaa(p.caa(), p.caaIdentities() == null ? caaIdentities : p.caaIdentities())
                        .withUpstream(p.upstreamIssuer(), p.upstreamDnsProvider(), p.upstreamChallenge()));
            } catch (IllegalArgumentException e) {
                throw new AcmeConfigurationException("certplane.acme.profiles." + name + ": " + e.getMessage());
            }
        });
        if (!profiles.containsKey(SAFE_DEFAULT)) {
            result.add(Profile.of(SAFE_DEFAULT, "trust_authenticated", List.of(), List.of(), Duration.ofDays(90),
                    List.of(), "Built-in default: issues nothing until allowed-domains or allowed-ip-ranges are set",
                    Profile.FROM_CONFIGURATION));
        }
        return result;
    }

    /**
     * One profile as declared in configuration; see {@link Profile} for the meaning of each field.
     *
     * @param caa check CAA records during challenge validation
     * @param caaIdentities the issuer domain names CAA records must name; default {@code certplane.acme.caa-identities}
     * @param upstreamIssuer the name of the ACME issuer that issues this profile's certificates (upstream delivery)
     * @param upstreamDnsProvider the DNS provider upstream dns-01 records are published through
     * @param upstreamChallenge {@code dns-01} (default) or {@code http-01}
     */
    record ProfileSettings(@DefaultValue("trust_authenticated") String authMode, @Nullable List<String> allowedDomains,
            @Nullable List<String> allowedIpRanges, @DefaultValue("90d") Duration validity,
            @Nullable List<String> keyTypes, @DefaultValue("") String description, @DefaultValue("false") boolean caa,
            @Nullable List<String> caaIdentities, @Nullable String upstreamIssuer, @Nullable String upstreamDnsProvider,
            @Nullable String upstreamChallenge) {
    }
}
