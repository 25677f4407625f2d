package dev.certplane.delivery.internal.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletResponse;

import dev.certplane.delivery.CertificateToken;
import dev.certplane.delivery.CertificateTokens;
import dev.certplane.delivery.Delivery;
import dev.certplane.delivery.IssuedToken;
import dev.certplane.delivery.TokenStateException;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.shared.Permissions;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Certificate tokens in the UI: list, create and rotate (the HMAC key and client configuration are shown once, on
 * the answer to that POST, never stored for the page), revoke; and a managed certificate's versions, tokens and
 * deliveries. Every change goes through {@link CertificateTokens}, as the API does, so it is audited.
 */
@Controller
class TokenPages {

    private static final int MANAGED_LISTED = 500;
    private static final int DELIVERIES_SHOWN = 100;

    private final CertificateTokens tokens;
    private final ManagedCertificates managed;
    private final Delivery delivery;
    private final Clock clock;

    TokenPages(CertificateTokens tokens, ManagedCertificates managed, Delivery delivery, Clock clock) {
        this.tokens = tokens;
        this.managed = managed;
        this.delivery = delivery;
        this.clock = clock;
    }

    /** The create form's values, echoed back when it is refused. */
    record TokenForm(@Nullable String managedCertificateId, @Nullable String name, @Nullable String expiresInDays,
            @Nullable String maxAccounts) {
    }

    @GetMapping("/tokens")
    @PreAuthorize("hasAuthority('" + Permissions.TOKENS_MANAGE + "')")
    String list(Model model) {
        return listPage(model, new TokenForm(null, null, null, null), null);
    }

    @PostMapping("/tokens")
    @PreAuthorize("hasAuthority('" + Permissions.TOKENS_MANAGE + "')")
    String create(@RequestParam(defaultValue = "") String managedCertificateId, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String expiresInDays, @RequestParam(defaultValue = "") String maxAccounts,
            Model model, HttpServletResponse response) {
        TokenForm form = new TokenForm(managedCertificateId, name, expiresInDays, maxAccounts);
        IssuedToken issued;
        try {
            if (managedCertificateId.isBlank()) {
                throw new IllegalArgumentException("choose the managed certificate the token is for");
            }
            if (name.isBlank()) {
                throw new IllegalArgumentException("give the token a name, such as the edge system that will use it");
            }
            Integer days = number(expiresInDays, "expires in (days)", 1, (int) CertificateTokens.MAX_LIFETIME.toDays());
            Integer accounts = number(maxAccounts, "most ACME accounts", 1, CertificateTokens.MAX_ACCOUNTS_LIMIT);
            Instant expiresAt = days == null ? null : clock.instant().plus(Duration.ofDays(days));
            issued = tokens.create(managedCertificateId, name, expiresAt, accounts);
        } catch (IllegalArgumentException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return listPage(model, form, e.getMessage());
        }
        return keyPage(issued, "created", model, response);
    }

    @PostMapping("/tokens/{id}/revoke")
    @PreAuthorize("hasAuthority('" + Permissions.TOKENS_MANAGE + "')")
    String revoke(@PathVariable String id, RedirectAttributes redirect) {
        try {
            CertificateToken revoked = tokens.revoke(id).orElseThrow(() -> notFound(id));
            redirect.addFlashAttribute("notice", "Certificate token " + revoked.keyId() + " (" + revoked.name()
                    + ") is revoked; its ACME accounts are refused from now on.");
        } catch (TokenStateException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/tokens";
    }

    @PostMapping("/tokens/{id}/rotate")
    @PreAuthorize("hasAuthority('" + Permissions.TOKENS_MANAGE + "')")
    String rotate(@PathVariable String id, @RequestParam(defaultValue = "false") boolean unbindAccounts, Model model,
            HttpServletResponse response, RedirectAttributes redirect) {
        try {
            IssuedToken issued = tokens.rotate(id, unbindAccounts).orElseThrow(() -> notFound(id));
            return keyPage(issued, "rotated", model, response);
        } catch (TokenStateException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/tokens";
        }
    }

    @GetMapping("/managed-certificates/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    String managedCertificate(@PathVariable String id, Model model) {
        ManagedCertificate certificate = managed.find(id).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no managed certificate " + id));
        model.addAttribute("m", certificate);
        model.addAttribute("versions", managed.versions(id));
        model.addAttribute("deliveries", delivery.deliveries(id, DELIVERIES_SHOWN));
        model.addAttribute("tokens", tokens.list(id));
        return "delivery/managed";
    }

    private String listPage(Model model, TokenForm form, @Nullable String error) {
        List<ManagedCertificate> certificates = managed.list(null, null, null, 0, MANAGED_LISTED).items();
        Map<String, ManagedCertificate> byId = certificates.stream()
                .collect(Collectors.toMap(ManagedCertificate::id, Function.identity()));
        model.addAttribute("tokens", tokens.list(null));
        model.addAttribute("managed", certificates);
        model.addAttribute("managedById", byId);
        model.addAttribute("form", form);
        model.addAttribute("formError", error);
        return "delivery/tokens";
    }

    private String keyPage(IssuedToken issued, String what, Model model, HttpServletResponse response) {
        // The key is on this answer only: nothing may cache it.
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        CertificateToken token = issued.token();
        Optional<ManagedCertificate> certificate = managed.find(token.managedCertificateId());
        String directory = tokens.directoryUrl(token).orElse("https://certplane.example.net/acme/<profile>/directory");
        model.addAttribute("token", token);
        model.addAttribute("what", what);
        model.addAttribute("hmacKey", issued.hmacKey());
        model.addAttribute("directory", directory);
        model.addAttribute("m", certificate.orElse(null));
        model.addAttribute("snippets", ClientSnippets.of(directory, token.keyId(), issued.hmacKey(),
                certificate.map(ManagedCertificate::names).orElse(List.of())));
        return "delivery/key";
    }

    private static @Nullable Integer number(String text, String field, int min, int max) {
        if (text.isBlank()) {
            return null;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max
                    + ", or empty");
        }
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no certificate token " + id);
    }
}
