package dev.certplane.acme.client.internal.web;

import dev.certplane.acme.client.AcmeIssuers;
import dev.certplane.acme.client.IssuerPreset;
import dev.certplane.shared.Permissions;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Our ACME client in the UI: the configured issuers with their account state, and the catalog of known CAs. */
@Controller
@PreAuthorize("hasAuthority('" + Permissions.ACME_MANAGE + "')")
class AcmeIssuerPages {

    private final AcmeIssuers issuers;

    AcmeIssuerPages(AcmeIssuers issuers) {
        this.issuers = issuers;
    }

    @GetMapping("/acme-client/issuers")
    String issuers(Model model) {
        model.addAttribute("issuers", issuers.list());
        model.addAttribute("presets", IssuerPreset.ALL);
        return "acme/issuers";
    }
}
