package dev.certplane.probes.internal.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.probes.internal.ProbePage;
import dev.certplane.probes.internal.ProbeResult;
import dev.certplane.probes.internal.ProbeStatus;
import dev.certplane.probes.internal.ProbeTarget;
import dev.certplane.probes.internal.ProbeTargetConflictException;
import dev.certplane.probes.internal.ProbeTargets;
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
 * Probes in the UI: every target with its latest state and what it served, a target's result history, and "probe
 * now" for operators who manage certificates. Targets are created and changed through {@code /api/probes}.
 */
@Controller
class ProbePages {

    static final int PAGE_SIZE = 50;
    static final int HISTORY = 100;

    private final ProbeTargets targets;
    private final ManagedCertificates managed;

    ProbePages(ProbeTargets targets, ManagedCertificates managed) {
        this.targets = targets;
        this.managed = managed;
    }

    /** A target with its last result, if it was probed. */
    record TargetRow(ProbeTarget target, @Nullable ProbeResult last) {
    }

    @GetMapping("/probes")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    String list(@RequestParam(defaultValue = "") String status, @RequestParam(defaultValue = "0") int page,
            Model model, HttpServletResponse response) {
        ProbeStatus wanted = null;
        try {
            wanted = status.isBlank() ? null : ProbeStatus.parse(status);
        } catch (IllegalArgumentException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("filterError", e.getMessage());
        }
        ProbePage found = targets.list(null, wanted, Math.max(0, page), PAGE_SIZE);
        List<TargetRow> rows = found.items().stream().map(t -> new TargetRow(t, lastResult(t))).toList();
        model.addAttribute("rows", rows);
        model.addAttribute("found", found);
        model.addAttribute("status", wanted == null ? "" : wanted.wire());
        model.addAttribute("statuses", List.of(ProbeStatus.values()).stream().map(ProbeStatus::wire).toList());
        model.addAttribute("managedNames", managedNames(rows.stream().map(r -> r.target().spec().managedCertificateId())
                .distinct().toList()));
        return "probes/list";
    }

    @GetMapping("/probes/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    String detail(@PathVariable String id, Model model) {
        ProbeTarget target = targets.find(id).orElseThrow(() -> notFound(id));
        model.addAttribute("t", target);
        model.addAttribute("last", lastResult(target));
        model.addAttribute("results", targets.results(id, HISTORY).orElse(List.of()));
        model.addAttribute("history", HISTORY);
        model.addAttribute("managedNames", managedNames(List.of(target.spec().managedCertificateId())));
        return "probes/detail";
    }

    @PostMapping("/probes/{id}/probe")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String probeNow(@PathVariable String id, RedirectAttributes redirect) {
        try {
            ProbeResult result = targets.probeNow(id).orElseThrow(() -> notFound(id));
            redirect.addFlashAttribute("notice", "Probed now: " + result.status().wire().replace('_', ' ')
                    + (result.findings().isEmpty() ? "." : ": " + String.join("; ", result.findings())));
        } catch (ProbeTargetConflictException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/probes/" + id;
    }

    private @Nullable ProbeResult lastResult(ProbeTarget target) {
        return target.lastResultId() == null ? null : targets.result(target.lastResultId()).orElse(null);
    }

    private Map<String, String> managedNames(List<String> ids) {
        Map<String, String> names = new HashMap<>();
        for (String id : ids) {
            managed.find(id).map(ManagedCertificate::name).ifPresent(name -> names.put(id, name));
        }
        return names;
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no probe target " + id);
    }
}
