package dev.certplane.renewal.internal.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import dev.certplane.acme.client.AcmeIssuers;
import dev.certplane.acme.client.DnsProviders;
import dev.certplane.renewal.RenewalConflictException;
import dev.certplane.renewal.RenewalMethod;
import dev.certplane.renewal.RenewalPolicies;
import dev.certplane.renewal.RenewalPolicy;
import dev.certplane.renewal.RenewalPolicyDraft;
import dev.certplane.shared.Permissions;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Renewal policies in the UI: one card per policy, and create, edit and delete forms for operators who manage
 * certificates. Every change goes through {@link RenewalPolicies}, as the API does, so it is validated the same way
 * (its message is shown beside the form) and audited.
 */
@Controller
class RenewalPolicyPages {

    private final RenewalPolicies policies;
    private final AcmeIssuers issuers;
    private final DnsProviders dnsProviders;

    RenewalPolicyPages(RenewalPolicies policies, AcmeIssuers issuers, DnsProviders dnsProviders) {
        this.policies = policies;
        this.issuers = issuers;
        this.dnsProviders = dnsProviders;
    }

    /**
     * The form's values, bound from the request and echoed back when refused. A check box that is not ticked (or is
     * disabled) is not sent: {@code null} means off. Numbers stay text so that what was typed comes back.
     */
    record PolicyForm(@Nullable String scope, @Nullable String organization, @Nullable String method,
            @Nullable Boolean autoRenew, @Nullable String renewBeforeDays, @Nullable String window,
            @Nullable String acmeIssuerId, @Nullable String acmeContact, @Nullable String acmeChallenge,
            @Nullable String acmeDnsProviderId, @Nullable Boolean requireChangeRecord,
            @Nullable Boolean rollbackOnFailure, @Nullable String maxConcurrentRenewals, @Nullable Boolean active) {

        static PolicyForm blank() {
            return new PolicyForm("default", "", "internal", true, String.valueOf(
                    RenewalPolicies.DEFAULT_RENEW_BEFORE_DAYS), "days", "", "", "http-01", "", false, false,
                    String.valueOf(RenewalPolicies.DEFAULT_MAX_CONCURRENT), true);
        }

        static PolicyForm of(RenewalPolicy p) {
            return new PolicyForm(p.scope(), p.organization() == null ? "" : p.organization(), p.method().wire(),
                    p.autoRenew(), String.valueOf(p.renewBeforeDays()), p.window().wire(), p.acmeIssuerId(),
                    p.acmeContact(), p.acmeChallenge() == null ? "http-01" : p.acmeChallenge(),
                    p.acmeDnsProviderId(), p.requireChangeRecord(), p.rollbackOnFailure(),
                    String.valueOf(p.maxConcurrentRenewals()), p.active());
        }

        /** Public: templates call it. */
        public boolean on(@Nullable Boolean box) {
            return Boolean.TRUE.equals(box);
        }

        /**
         * The draft for the service. Only method acme's fields are passed for method acme (the form hides them for
         * the others); on an edit the scope is left out, as the scope selector is disabled.
         *
         * @throws IllegalArgumentException if a number is not one
         */
        RenewalPolicyDraft draft(boolean edit) {
            boolean acme = RenewalMethod.ACME.wire().equals(method);
            boolean organizationScope = "organization".equals(scope);
            return new RenewalPolicyDraft(edit ? null : blankToNull(scope),
                    edit || !organizationScope ? null : organization == null ? "" : organization, blankToNull(method),
                    on(autoRenew), number(renewBeforeDays, "renewBeforeDays"), blankToNull(window),
                    acme ? blankToNull(acmeIssuerId) : null, acme ? blankToNull(acmeContact) : null,
                    acme ? blankToNull(acmeChallenge) : null, acme ? blankToNull(acmeDnsProviderId) : null,
                    on(requireChangeRecord), on(rollbackOnFailure),
                    number(maxConcurrentRenewals, "maxConcurrentRenewals"), on(active));
        }
    }

    @GetMapping("/renewal/policies")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    String list(Model model) {
        model.addAttribute("policies", policies.list());
        model.addAttribute("issuerNames", issuerNames());
        model.addAttribute("dnsProviderNames", dnsProviderNames());
        return "renewal/policies";
    }

    @GetMapping("/renewal/policies/new")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String createForm(Model model) {
        return form(model, null, PolicyForm.blank(), null);
    }

    @PostMapping("/renewal/policies")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String create(PolicyForm form, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        RenewalPolicy created;
        try {
            created = policies.create(form.draft(false));
        } catch (IllegalArgumentException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return form(model, null, form, e.getMessage());
        } catch (RenewalConflictException e) {
            response.setStatus(HttpStatus.CONFLICT.value());
            return form(model, null, form, e.getMessage());
        }
        redirect.addFlashAttribute("notice", "Renewal policy created: " + scopeName(created) + ", method "
                + created.method().wire() + ".");
        return "redirect:/renewal/policies";
    }

    @GetMapping("/renewal/policies/{id}/edit")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String editForm(@PathVariable String id, Model model) {
        RenewalPolicy policy = policies.find(id).orElseThrow(() -> notFound(id));
        return form(model, policy, PolicyForm.of(policy), null);
    }

    @PostMapping("/renewal/policies/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String update(@PathVariable String id, PolicyForm form, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        RenewalPolicy existing = policies.find(id).orElseThrow(() -> notFound(id));
        RenewalPolicy changed;
        try {
            changed = policies.update(id, form.draft(true)).orElseThrow(() -> notFound(id));
        } catch (IllegalArgumentException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return form(model, existing, form, e.getMessage());
        }
        redirect.addFlashAttribute("notice", "Renewal policy saved: " + scopeName(changed) + ", method "
                + changed.method().wire() + ".");
        return "redirect:/renewal/policies";
    }

    @PostMapping("/renewal/policies/{id}/delete")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String delete(@PathVariable String id, RedirectAttributes redirect) {
        RenewalPolicy existing = policies.find(id).orElseThrow(() -> notFound(id));
        if (policies.delete(id)) {
            redirect.addFlashAttribute("notice", "Renewal policy deleted: " + scopeName(existing) + ". Its attempts"
                    + " stay; nothing renews in its scope until another policy covers it.");
        } else {
            redirect.addFlashAttribute("problem", "The renewal policy was deleted already.");
        }
        return "redirect:/renewal/policies";
    }

    private String form(Model model, @Nullable RenewalPolicy editing, PolicyForm form, @Nullable String error) {
        List<RenewalPolicy> all = policies.list();
        model.addAttribute("editing", editing);
        model.addAttribute("form", form);
        model.addAttribute("formError", error);
        model.addAttribute("defaultTaken", all.stream().anyMatch(p -> p.organization() == null));
        model.addAttribute("organizationsTaken", all.stream().map(RenewalPolicy::organization)
                .filter(o -> o != null).toList());
        model.addAttribute("issuers", issuers.list());
        model.addAttribute("dnsProviders", dnsProviders.list());
        return "renewal/policy-form";
    }

    private Map<String, String> issuerNames() {
        Map<String, String> names = new HashMap<>();
        issuers.list().forEach(i -> names.put(i.id(), i.name()));
        return names;
    }

    private Map<String, String> dnsProviderNames() {
        Map<String, String> names = new HashMap<>();
        dnsProviders.list().forEach(p -> names.put(p.id(), p.name()));
        return names;
    }

    static String scopeName(RenewalPolicy policy) {
        return policy.organization() == null ? "Account default" : "organization " + policy.organization();
    }

    private static @Nullable Integer number(@Nullable String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a whole number (got '" + text.strip() + "')");
        }
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no renewal policy " + id);
    }
}
