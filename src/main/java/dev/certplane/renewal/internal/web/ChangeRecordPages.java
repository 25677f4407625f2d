package dev.certplane.renewal.internal.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import jakarta.servlet.http.HttpServletResponse;

import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.renewal.ChangeRecord;
import dev.certplane.renewal.ChangeRecords;
import dev.certplane.renewal.RenewalConflictException;
import dev.certplane.renewal.SelfApprovalException;
import dev.certplane.shared.Permissions;

import org.jspecify.annotations.Nullable;
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
 * The approval queue: pending change records with approve and reject (another operator than the requester decides;
 * the next sweep releases an approved renewal), and the decided ones below, filtered by state.
 */
@Controller
class ChangeRecordPages {

    static final int DECIDED_SHOWN = 100;
    private static final List<String> DECIDED = List.of(ChangeRecord.APPROVED, ChangeRecord.REJECTED,
            ChangeRecord.CANCELLED);

    private final ChangeRecords changes;
    private final ManagedCertificates managed;

    ChangeRecordPages(ChangeRecords changes, ManagedCertificates managed) {
        this.changes = changes;
        this.managed = managed;
    }

    @GetMapping("/renewal/changes")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    String queue(@RequestParam(defaultValue = "") String state, Model model, HttpServletResponse response) {
        List<ChangeRecord> pending = changes.list(ChangeRecord.PENDING, ChangeRecords.MAX_LISTED);
        List<ChangeRecord> decided = List.of();
        if (!state.isBlank() && !DECIDED.contains(state)) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("filterError", "state must be approved, rejected or cancelled (got '" + state + "')");
        } else {
            decided = state.isBlank()
                    ? changes.list(null, ChangeRecords.MAX_LISTED).stream()
                            .filter(c -> !c.state().equals(ChangeRecord.PENDING)).limit(DECIDED_SHOWN).toList()
                    : changes.list(state, DECIDED_SHOWN);
        }
        Map<String, String> names = new HashMap<>();
        for (ChangeRecord c : pending) {
            names.computeIfAbsent(c.managedCertificateId(), this::name);
        }
        for (ChangeRecord c : decided) {
            names.computeIfAbsent(c.managedCertificateId(), this::name);
        }
        model.addAttribute("pending", pending);
        model.addAttribute("decided", decided);
        model.addAttribute("state", DECIDED.contains(state) ? state : "");
        model.addAttribute("states", DECIDED);
        model.addAttribute("managedNames", names);
        return "renewal/changes";
    }

    @PostMapping("/renewal/changes/{id}/approve")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String approve(@PathVariable String id, @RequestParam(required = false) @Nullable String note,
            RedirectAttributes redirect) {
        decide(id, note, changes::approve, "approved; the next sweep dispatches the renewal", redirect);
        return "redirect:/renewal/changes";
    }

    @PostMapping("/renewal/changes/{id}/reject")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String reject(@PathVariable String id, @RequestParam(required = false) @Nullable String note,
            RedirectAttributes redirect) {
        decide(id, note, changes::reject, "rejected; its renewal attempt is closed", redirect);
        return "redirect:/renewal/changes";
    }

    private void decide(String id, @Nullable String note,
            BiFunction<String, @Nullable String, Optional<ChangeRecord>> decision, String outcome,
            RedirectAttributes redirect) {
        try {
            ChangeRecord decided = decision.apply(id, note).orElseThrow(
                    () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no change record " + id));
            redirect.addFlashAttribute("notice", "Change " + decided.number() + " " + outcome + ".");
        } catch (SelfApprovalException | RenewalConflictException | IllegalArgumentException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
    }

    private String name(String managedCertificateId) {
        return managed.find(managedCertificateId).map(ManagedCertificate::name).orElse(managedCertificateId);
    }
}
