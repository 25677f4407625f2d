package dev.certplane.acme.client.internal.web;

import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import dev.certplane.acme.client.DnsProviders;
import dev.certplane.acme.client.DnsProviders.DnsProvider;
import dev.certplane.acme.client.DnsProviders.NewDnsProvider;
import dev.certplane.shared.Permissions;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The DNS providers our ACME client publishes dns-01 records through: the list (secrets are never shown) and a form
 * for rfc2136 and cloudflare providers whose secret fields are write-only. {@code exec} providers name a program on
 * this server and are added through the API.
 */
@Controller
@PreAuthorize("hasAuthority('" + Permissions.ACME_MANAGE + "')")
class AcmeDnsProviderPages {

    /** The API's size limits, so that the form refuses what the API refuses. */
    private static final Map<String, Integer> MAX_LENGTHS = Map.of("name", 100, "server", 300, "tsigKeyName", 255,
            "tsigSecret", 1000, "apiToken", 1000, "zoneId", 64);

    private final DnsProviders providers;

    AcmeDnsProviderPages(DnsProviders providers) {
        this.providers = providers;
    }

    /** The form's values echoed back when it is refused; the secrets never are. */
    record DnsProviderForm(String name, String type, String server, String tsigKeyName, String tsigAlgorithm,
            String zoneId) {
    }

    @GetMapping("/acme-client/dns-providers")
    String list(Model model) {
        return page(model, new DnsProviderForm("", "rfc2136", "", "", "hmac-sha256", ""), null);
    }

    @PostMapping("/acme-client/dns-providers")
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String type,
            @RequestParam(defaultValue = "") String server, @RequestParam(defaultValue = "") String tsigKeyName,
            @RequestParam(defaultValue = "") String tsigAlgorithm, @RequestParam(defaultValue = "") String tsigSecret,
            @RequestParam(defaultValue = "") String apiToken, @RequestParam(defaultValue = "") String zoneId,
            Model model, HttpServletResponse response, RedirectAttributes redirect) {
        DnsProviderForm form = new DnsProviderForm(name, type, server, tsigKeyName, tsigAlgorithm, zoneId);
        DnsProvider created;
        try {
            if (name.isBlank()) {
                throw new IllegalArgumentException("give the provider a name, such as the zone it updates");
            }
            Map.of("name", name, "server", server, "tsigKeyName", tsigKeyName, "tsigSecret", tsigSecret,
                    "apiToken", apiToken, "zoneId", zoneId).forEach((field, value) -> {
                        if (value.length() > MAX_LENGTHS.get(field)) {
                            throw new IllegalArgumentException(field + " is longer than " + MAX_LENGTHS.get(field)
                                    + " characters");
                        }
                    });
            // Only the chosen type's fields go to the service, which refuses the others' fields.
            created = switch (type) {
                case "rfc2136" -> providers.create(new NewDnsProvider(name, type, blank(server), blank(tsigKeyName),
                        blank(tsigAlgorithm), blank(tsigSecret), null, null, null));
                case "cloudflare" -> providers.create(new NewDnsProvider(name, type, null, null, null, null,
                        blank(apiToken), blank(zoneId), null));
                default -> throw new IllegalArgumentException("type must be rfc2136 or cloudflare here; exec providers"
                        + " are added with POST /api/acme/dns-providers");
            };
        } catch (IllegalArgumentException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return page(model, form, e.getMessage());
        }
        redirect.addFlashAttribute("notice", "DNS provider '" + created.name() + "' (" + created.type()
                + ") is added; its secret is stored sealed and is not shown again.");
        return "redirect:/acme-client/dns-providers";
    }

    private String page(Model model, DnsProviderForm form, @Nullable String error) {
        model.addAttribute("providers", providers.list());
        model.addAttribute("form", form);
        model.addAttribute("formError", error);
        return "acme/dns-providers";
    }

    private static @Nullable String blank(String text) {
        return text.isBlank() ? null : text.strip();
    }
}
