package dev.certplane.acme.server.internal;

import java.time.Duration;
import java.util.List;

import dev.certplane.pki.KeyType;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** ACME profiles over the operator API: those from configuration are read-only here. */
@RestController
@Tag(name = "ACME profiles")
@PreAuthorize("hasAuthority('" + Permissions.ACME_MANAGE + "')")
class ProfileController {

    private final ProfileCatalog catalog;
    private final AcmeUrls urls;

    ProfileController(ProfileCatalog catalog, AcmeUrls urls) {
        this.catalog = catalog;
        this.urls = urls;
    }

    record ProfileInput(@NotBlank @Size(max = 64) String name, @NotBlank String authMode,
            @Nullable List<@NotBlank String> allowedDomains, @Nullable List<@NotBlank String> allowedIpRanges,
            @NotBlank String validity, @Nullable List<@NotBlank String> keyTypes, @Nullable @Size(max = 500) String description,
            @Nullable Boolean caa, @Nullable @Size(max = 20) List<@NotBlank @Size(max = 253) String> caaIdentities,
            @Nullable @Size(max = 100) String upstreamIssuer, @Nullable @Size(max = 100) String upstreamDnsProvider,
            @Nullable @Size(max = 16) String upstreamChallenge) {
    }

    record ProfileView(String name, String authMode, List<String> allowedDomains, List<String> allowedIpRanges,
            String validity, List<String> keyTypes, String description, boolean caa, List<String> caaIdentities,
            Profile.@Nullable Upstream upstream, String source, String directoryUrl, boolean isDefault) {
    }

    @GetMapping("/api/acme/profiles")
    @Operation(summary = "List ACME profiles")
    List<ProfileView> list() {
        return catalog.all().stream().map(this::view).toList();
    }

    @GetMapping("/api/acme/profiles/{name}")
    @Operation(summary = "One ACME profile")
    ProfileView get(@PathVariable String name) {
        return catalog.find(name).map(this::view)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no profile named '" + name + "'"));
    }

    @PostMapping("/api/acme/profiles")
    @Operation(summary = "Create an ACME profile")
    ResponseEntity<ProfileView> create(@Valid @RequestBody ProfileInput input) {
        ProfileView view = view(catalog.create(profile(input, input.name())));
        return ResponseEntity.status(HttpStatus.CREATED).body(view);
    }

    @PutMapping("/api/acme/profiles/{name}")
    @Operation(summary = "Replace an ACME profile created through the API")
    ProfileView update(@PathVariable String name, @Valid @RequestBody ProfileInput input) {
        if (!input.name().equals(name)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a profile cannot be renamed");
        }
        return view(catalog.update(profile(input, name)));
    }

    @DeleteMapping("/api/acme/profiles/{name}")
    @Operation(summary = "Delete an ACME profile created through the API")
    ResponseEntity<Void> delete(@PathVariable String name) {
        catalog.delete(name);
        return ResponseEntity.noContent().build();
    }

    private static Profile profile(ProfileInput input, String name) {
        try {
            Duration validity = DurationStyle.detectAndParse(input.validity());
            return Profile.of(name, input.authMode(), orEmpty(input.allowedDomains()), orEmpty(input.allowedIpRanges()),
                    validity, orEmpty(input.keyTypes()), input.description() == null ? "" : input.description(),
                    Profile.FROM_API).withCaa(Boolean.TRUE.equals(input.caa()), orEmpty(input.caaIdentities()))
                    .withUpstream(input.upstreamIssuer(), input.upstreamDnsProvider(), input.upstreamChallenge());
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private ProfileView view(Profile p) {
        return new ProfileView(p.name(), p.authMode().configName(), p.allowedDomains(), p.allowedIpRanges(),
                text(p.validity()), p.keyTypes().stream().sorted().map(KeyType::configName).toList(), p.description(),
                p.caa().enabled(), p.caa().issuerDomains(), p.upstream(), p.source(), urls.directory(p.name()), p.name().equals(catalog.defaultProfile()));
    }

    private static String text(Duration validity) {
        if (validity.toSeconds() % 86_400 == 0) {
            return validity.toDays() + "d";
        }
        return validity.toSeconds() % 3600 == 0 ? validity.toHours() + "h" : validity.toSeconds() + "s";
    }

    private static <T> List<T> orEmpty(@Nullable List<T> list) {
        return list == null ? List.of() : list;
    }
}
