package dev.certplane.renewal.internal.web;

import java.util.NoSuchElementException;

import dev.certplane.inventory.Inventory;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.inventory.StoredCertificate;
import dev.certplane.renewal.AttemptState;
import dev.certplane.renewal.RenewalAttempt;
import dev.certplane.renewal.RenewalConflictException;
import dev.certplane.renewal.RenewalHistory;
import dev.certplane.renewal.RenewalRefusedException;
import dev.certplane.renewal.RenewalSweeps;
import dev.certplane.renewal.Renewals;
import dev.certplane.renewal.SweepSummary;
import dev.certplane.shared.Permissions;

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
 * A managed certificate's renewals in the UI: the history (policy, window, retry backoff, attempts), "Renew now",
 * and the sweeps. Inventory does not know renewal, so its pages load the parts they show from here with htmx: the
 * managed certificate page loads {@code /renewal/managed/{id}/history}, the certificate detail panel
 * {@code /renewal/certificates/{id}/panel}.
 */
@Controller
class RenewalPages {

    static final int HISTORY = 50;
    static final int SWEEPS = 20;

    private final Renewals renewals;
    private final RenewalSweeps sweeps;
    private final Inventory inventory;
    private final ManagedCertificates managed;

    RenewalPages(Renewals renewals, RenewalSweeps sweeps, Inventory inventory, ManagedCertificates managed) {
        this.renewals = renewals;
        this.sweeps = sweeps;
        this.inventory = inventory;
        this.managed = managed;
    }

    @GetMapping("/renewal/managed/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    String managedPage(@PathVariable String id, Model model) {
        model.addAttribute("h", history(id));
        model.addAttribute("back", "renewal");
        return "renewal/managed";
    }

    /** The "Renewal history" section the managed certificate page loads. */
    @GetMapping("/renewal/managed/{id}/history")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    String historyFragment(@PathVariable String id, Model model) {
        model.addAttribute("h", history(id));
        model.addAttribute("back", "managed");
        return "renewal/managed :: history";
    }

    /**
     * What the inventory's detail panel shows of a certificate's renewals: for a leaf that is a version of a managed
     * certificate, "Renew now", the retry banner and links to the history; for a CA certificate nothing; for any
     * other leaf that it is not managed.
     */
    @GetMapping("/renewal/certificates/{id}/panel")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    String certificatePanel(@PathVariable String id, Model model) {
        StoredCertificate certificate = inventory.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no certificate " + id));
        model.addAttribute("certificateId", id);
        model.addAttribute("leaf", certificate.leaf());
        // The operator confirms against what identifies the certificate: its subject, thumbprint and expiry.
        model.addAttribute("confirmation", "Renew " + certificate.subjectCommonName() + " (SHA-256 "
                + certificate.fingerprintSha256().substring(0, Math.min(16, certificate.fingerprintSha256().length()))
                + "…, expires " + certificate.notAfter() + ") now, whatever its renewal window says?");
        var owner = certificate.leaf() ? managed.ofCertificate(id).orElse(null) : null;
        model.addAttribute("m", owner);
        model.addAttribute("h", owner == null ? null : renewals.history(owner.id(), 1));
        return "renewal/certificate-panel :: panel";
    }

    /** Renew now from the managed certificate page ({@code back=managed}) or the renewal page. */
    @PostMapping("/renewal/managed/{id}/renew")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String renewManaged(@PathVariable String id, @RequestParam(defaultValue = "renewal") String back,
            RedirectAttributes redirect) {
        renew(id, redirect);
        return back.equals("managed") ? "redirect:/managed-certificates/" + id : "redirect:/renewal/managed/" + id;
    }

    /** Renew now from the inventory's certificate page: the certificate must be a leaf version of a managed one. */
    @PostMapping("/renewal/certificates/{id}/renew")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String renewCertificate(@PathVariable String id, RedirectAttributes redirect) {
        renew(id, redirect);
        return "redirect:/certificates/" + id;
    }

    @GetMapping("/renewal/sweeps")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    String sweepList(Model model) {
        model.addAttribute("sweeps", sweeps.latest(SWEEPS));
        model.addAttribute("shown", SWEEPS);
        return "renewal/sweeps";
    }

    @PostMapping("/renewal/sweeps")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String sweepNow(RedirectAttributes redirect) {
        try {
            SweepSummary s = sweeps.sweepNow();
            redirect.addFlashAttribute("notice", "Sweep finished: " + s.candidates() + " in their window, "
                    + s.dispatched() + " dispatched, " + s.awaitingApproval() + " awaiting approval, "
                    + s.approvedDispatched() + " approved and released, " + s.deferred() + " deferred, "
                    + s.superseded() + " superseded.");
        } catch (RenewalConflictException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/renewal/sweeps";
    }

    private void renew(String id, RedirectAttributes redirect) {
        try {
            RenewalAttempt attempt = renewals.renewNow(id);
            redirect.addFlashAttribute("notice", attempt.state() == AttemptState.AWAITING_CHANGE_APPROVAL
                    ? "Renewal awaiting change approval (attempt " + attempt.id() + ")"
                    : "Renewal dispatched (job " + attempt.id() + ")");
        } catch (RenewalRefusedException | RenewalConflictException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        } catch (NoSuchElementException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        }
    }

    private RenewalHistory history(String id) {
        try {
            return renewals.history(id, HISTORY);
        } catch (NoSuchElementException | RenewalRefusedException e) {
            // Not managed or not a leaf: such a certificate has no renewals.
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        }
    }
}
