package dev.certplane.renewal.internal.http;

import java.time.Instant;
import java.util.List;

import dev.certplane.renewal.RenewalPolicies;
import dev.certplane.renewal.RenewalPolicy;
import dev.certplane.renewal.RenewalPolicyDraft;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
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

/** Renewal policies over the operator API. */
@RestController
@Tag(name = "Renewal")
class RenewalPolicyController {

    private final RenewalPolicies policies;

    RenewalPolicyController(RenewalPolicies policies) {
        this.policies = policies;
    }

    record PolicyView(String id, String scope, @Nullable String organization, String method, boolean autoRenew,
            int renewBeforeDays, String window, @Nullable String acmeIssuerId, @Nullable String acmeContact,
            @Nullable String acmeChallenge, @Nullable String acmeDnsProviderId, boolean requireChangeRecord,
            boolean rollbackOnFailure, int maxConcurrentRenewals, boolean active, Instant createdAt,
            Instant updatedAt) {

        static PolicyView of(RenewalPolicy p) {
            return new PolicyView(p.id(), p.scope(), p.organization(), p.method().wire(), p.autoRenew(),
                    p.renewBeforeDays(), p.window().wire(), p.acmeIssuerId(), p.acmeContact(), p.acmeChallenge(),
                    p.acmeDnsProviderId(), p.requireChangeRecord(), p.rollbackOnFailure(), p.maxConcurrentRenewals(),
                    p.active(), p.createdAt(), p.updatedAt());
        }
    }

    @GetMapping("/api/renewal-policies")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "List renewal policies: the account default first, then one per organization")
    List<PolicyView> list() {
        return policies.list().stream().map(PolicyView::of).toList();
    }

    @GetMapping("/api/renewal-policies/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "One renewal policy")
    PolicyView get(@PathVariable String id) {
        return PolicyView.of(policies.find(id).orElseThrow(() -> notFound(id)));
    }

    @PostMapping("/api/renewal-policies")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Create a renewal policy for a scope (default or organization, one each): method acme"
            + " (needs acmeIssuerId and acmeContact), internal, manual or none; autoRenew (not for manual or none),"
            + " renewBeforeDays (30), window days, ari or lifetime, requireChangeRecord, rollbackOnFailure,"
            + " maxConcurrentRenewals (5), active")
    ResponseEntity<PolicyView> create(@RequestBody RenewalPolicyDraft draft) {
        RenewalPolicy created = RenewalProblems.call(() -> policies.create(draft));
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(HttpHeaders.LOCATION, "/api/renewal-policies/" + created.id()).body(PolicyView.of(created));
    }

    @PutMapping("/api/renewal-policies/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Replace a renewal policy's settings; its scope cannot change")
    PolicyView update(@PathVariable String id, @RequestBody RenewalPolicyDraft draft) {
        return PolicyView.of(RenewalProblems.call(() -> policies.update(id, draft)).orElseThrow(() -> notFound(id)));
    }

    @DeleteMapping("/api/renewal-policies/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Delete a renewal policy; its attempts stay, and nothing renews in its scope until another"
            + " policy covers it")
    ResponseEntity<Void> delete(@PathVariable String id) {
        if (!policies.delete(id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    private static RuntimeException notFound(String id) {
        return RenewalProblems.notFound("there is no renewal policy " + id);
    }
}
