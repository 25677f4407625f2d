package dev.certplane.acme.client.internal.http;

import java.util.List;
import java.util.Map;

import dev.certplane.acme.client.AcmeWorkflows;
import dev.certplane.acme.client.AcmeWorkflows.AcmeWorkflow;
import dev.certplane.acme.client.AcmeWorkflows.WorkflowDetail;
import dev.certplane.acme.client.DnsProviders;
import dev.certplane.acme.client.DnsProviders.DnsProvider;
import dev.certplane.acme.client.Http01Method;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** DNS providers and ACME client workflows over the operator API. */
@RestController
@Tag(name = "ACME workflows")
@PreAuthorize("hasAuthority('" + Permissions.ACME_MANAGE + "')")
class AcmeWorkflowController {

    private final AcmeWorkflows workflows;
    private final DnsProviders dnsProviders;

    AcmeWorkflowController(AcmeWorkflows workflows, DnsProviders dnsProviders) {
        this.workflows = workflows;
        this.dnsProviders = dnsProviders;
    }

    /** Which fields a type takes is checked by {@link DnsProviders#create}, with a message naming the field. */
    record DnsProviderInput(@NotBlank @Size(max = 100) String name, @NotBlank @Size(max = 16) String type,
            @Nullable @Size(max = 300) String server, @Nullable @Size(max = 255) String tsigKeyName,
            @Nullable @Size(max = 32) String tsigAlgorithm, @Nullable @Size(max = 1000) String tsigSecret,
            @Nullable @Size(max = 1000) String apiToken, @Nullable @Size(max = 64) String zoneId,
            @Nullable @Size(max = 1000) String program) {
    }

    record Http01MethodInput(@NotBlank @Size(max = 16) String type, @Nullable @Size(max = 1000) String webroot,
            @Nullable @Size(max = 1000) String program) {
    }

    record WorkflowInput(@NotBlank @Size(max = 64) String issuerId, @NotBlank @Size(max = 64) String managedCertificateId,
            @Nullable @Size(max = 16) String challenge, @Nullable @Size(max = 100) Map<String, String> challenges,
            @Nullable @Size(max = 64) String dnsProviderId, @Nullable @Valid Http01MethodInput http01Method) {
    }

    @GetMapping("/api/acme/dns-providers")
    @Operation(summary = "List DNS providers (secrets are write-only)")
    List<DnsProvider> dnsProviders() {
        return dnsProviders.list();
    }

    @PostMapping("/api/acme/dns-providers")
    @Operation(summary = "Add a DNS provider: rfc2136 (server, TSIG key), cloudflare (API token, optional zone id) or"
            + " exec (a program on the server); secrets are write-only")
    ResponseEntity<DnsProvider> createDnsProvider(@Valid @RequestBody DnsProviderInput input) {
        try {
            return ResponseEntity.status(HttpStatus.CREATED).body(dnsProviders.create(new DnsProviders.NewDnsProvider(
                    input.name(), input.type(), input.server(), input.tsigKeyName(), input.tsigAlgorithm(),
                    input.tsigSecret(), input.apiToken(), input.zoneId(), input.program())));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    @GetMapping("/api/acme/workflows")
    @Operation(summary = "The latest workflows with their state and the CA's last message")
    List<AcmeWorkflow> list(@RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        return workflows.list(limit);
    }

    @GetMapping("/api/acme/workflows/{id}")
    @Operation(summary = "One workflow with its step timeline")
    WorkflowDetail get(@PathVariable String id) {
        return workflows.find(id).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no workflow '" + id + "'"));
    }

    @PostMapping("/api/acme/workflows")
    @Operation(summary = "Order a managed certificate's names from an ACME issuer; runs in the background")
    ResponseEntity<AcmeWorkflow> start(@Valid @RequestBody WorkflowInput input) {
        AcmeWorkflow started;
        try {
            Http01MethodInput method = input.http01Method();
            started = workflows.start(new AcmeWorkflows.NewWorkflow(input.issuerId(), input.managedCertificateId(),
                    input.challenge(), input.challenges(), input.dnsProviderId(), method == null ? null
                            : new Http01Method(method.type(), method.webroot(), method.program())));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(HttpHeaders.LOCATION, "/api/acme/workflows/" + started.id())
                .body(started);
    }
}
