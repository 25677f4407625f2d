package dev.certplane.acme.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.inventory.spi.ProfilePolicy;
import dev.certplane.issuance.IssuanceProfile;

import org.bouncycastle.util.IPAddress;
import org.springframework.stereotype.Component;

/**
 * Tells the inventory what ACME profiles allow, so a managed certificate only ever names what its profile can
 * issue: the same identifier rules and name policy as newOrder.
 */
@Component
class InventoryProfilePolicy implements ProfilePolicy {

    private final ProfileCatalog profiles;
    private final AcmeUrls urls;

    InventoryProfilePolicy(ProfileCatalog profiles, AcmeUrls urls) {
        this.profiles = profiles;
        this.urls = urls;
    }

    @Override
    public List<String> admit(String profileName, List<String> names) {
        Profile profile = profiles.find(profileName).orElseThrow(() -> new IllegalArgumentException(
                "there is no profile named '" + profileName + "'"));
        List<String> admitted = new ArrayList<>();
        for (String name : names) {
            Identifier identifier;
            try {
                identifier = IPAddress.isValidIPv4(name) || IPAddress.isValidIPv6(name) ? Identifier.ip(name)
                        : Identifier.dns(name);
            } catch (AcmeProblem e) {
                throw new IllegalArgumentException("names: " + e.detail(), e);
            }
            profile.refusal(identifier).ifPresent(reason -> {
                throw new IllegalArgumentException("names: " + reason);
            });
            admitted.add(identifier.value());
        }
        return admitted;
    }

    @Override
    public Optional<String> tokenDirectory(String profileName) {
        return profiles.find(profileName).filter(p -> p.authMode() == AuthMode.TOKEN).map(p -> urls.directory(p.name()));
    }

    @Override
    public IssuanceProfile issuanceProfile(String profileName) {
        return profiles.find(profileName).orElseThrow(() -> new IllegalArgumentException(
                "there is no profile named '" + profileName + "'")).issuanceProfile();
    }
}
