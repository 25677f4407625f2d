package dev.certplane.acme.server.internal;

import java.time.Duration;
import java.util.List;

import dev.certplane.pki.KeyType;
import dev.certplane.shared.Permissions;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The ACME server in the UI: its profiles, with each directory URL clients are given. */
@Controller
@PreAuthorize("hasAuthority('" + Permissions.ACME_MANAGE + "')")
class AcmeServerPages {

    private final ProfileCatalog catalog;
    private final AcmeUrls urls;

    AcmeServerPages(ProfileCatalog catalog, AcmeUrls urls) {
        this.catalog = catalog;
        this.urls = urls;
    }

    /** One profile as the page shows it. */
    record ProfileRow(String name, String authMode, List<String> allowedDomains, List<String> allowedIpRanges,
            String validity, List<String> keyTypes, String description, boolean caa, String source,
            String directoryUrl, boolean isDefault) {
    }

    @GetMapping("/acme-server/profiles")
    String profiles(Model model) {
        model.addAttribute("profiles", catalog.all().stream().map(this::row).toList());
        return "acme/profiles";
    }

    private ProfileRow row(Profile p) {
        return new ProfileRow(p.name(), p.authMode().configName(), p.allowedDomains(), p.allowedIpRanges(),
                validity(p.validity()), p.keyTypes().stream().sorted().map(KeyType::configName).toList(),
                p.description(), p.caa().enabled(), p.source(), urls.directory(p.name()),
                p.name().equals(catalog.defaultProfile()));
    }

    private static String validity(Duration validity) {
        return validity.toSeconds() % 86_400 == 0 ? validity.toDays() + " days" : validity.toHours() + " hours";
    }
}
