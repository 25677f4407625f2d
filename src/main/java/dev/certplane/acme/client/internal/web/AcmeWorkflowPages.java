package dev.certplane.acme.client.internal.web;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.certplane.acme.client.AcmeIssuer;
import dev.certplane.acme.client.AcmeIssuers;
import dev.certplane.acme.client.AcmeWorkflows;
import dev.certplane.shared.Permissions;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/** ACME client workflows in the UI: where each order at an external CA stands, and its step timeline. */
@Controller
@PreAuthorize("hasAuthority('" + Permissions.ACME_MANAGE + "')")
class AcmeWorkflowPages {

    private final AcmeWorkflows workflows;
    private final AcmeIssuers issuers;

    AcmeWorkflowPages(AcmeWorkflows workflows, AcmeIssuers issuers) {
        this.workflows = workflows;
        this.issuers = issuers;
    }

    @GetMapping("/acme-client/workflows")
    String list(Model model) {
        model.addAttribute("workflows", workflows.list(200));
        model.addAttribute("issuerNames", issuerNames());
        return "acme/workflows";
    }

    @GetMapping("/acme-client/workflows/{id}")
    String detail(@PathVariable String id, Model model) {
        model.addAttribute("detail", workflows.find(id).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no workflow '" + id + "'")));
        model.addAttribute("issuerNames", issuerNames());
        return "acme/workflow";
    }

    private Map<String, String> issuerNames() {
        return issuers.list().stream().collect(Collectors.toMap(AcmeIssuer::id, AcmeIssuer::name, (a, b) -> a));
    }
}
