package dev.certplane.renewal.internal.http;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

import dev.certplane.renewal.RenewalAttempt;
import dev.certplane.renewal.RenewalHistory;
import dev.certplane.renewal.RenewalRefusedException;
import dev.certplane.renewal.RenewalSweeps;
import dev.certplane.renewal.Renewals;
import dev.certplane.renewal.SweepSummary;
import dev.certplane.renewal.AttemptState;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Renew now, renewal history, attempts and the sweep over the operator API. */
@RestController
@Tag(name = "Renewal")
class RenewalController {

    private final Renewals renewals;
    private final RenewalSweeps sweeps;

    RenewalController(Renewals renewals, RenewalSweeps sweeps) {
        this.renewals = renewals;
        this.sweeps = sweeps;
    }

    record AttemptView(String id, String managedCertificateId, @Nullable String policyId, String method, String state,
            String trigger, String requestedBy, @Nullable String reference, @Nullable String jobReference,
            @Nullable String changeRecordId, @Nullable Integer oldVersion, @Nullable Instant oldNotAfter,
            @Nullable Integer newVersion, @Nullable Instant newNotAfter, @Nullable String error,
            @Nullable String rollbackNote, int consecutiveFailures, @Nullable Instant nextRetryAt, Instant createdAt,
            @Nullable Instant startedAt, @Nullable Instant finishedAt) {

        static AttemptView of(RenewalAttempt a) {
            return new AttemptView(a.id(), a.managedCertificateId(), a.policyId(), a.method(), a.state().wire(),
                    a.trigger(), a.requestedBy(), a.reference(), a.jobReference(), a.changeRecordId(), a.oldVersion(),
                    a.oldNotAfter(), a.newVersion(), a.newNotAfter(), a.error(), a.rollbackNote(),
                    a.consecutiveFailures(), a.nextRetryAt(), a.createdAt(), a.startedAt(), a.finishedAt());
        }
    }

    /** The answer to renew now: the attempt's id (also the job id) and whether it waits for approval. */
    record RenewView(String attemptId, String state, @Nullable String changeRecordId, String message,
            AttemptView attempt) {
    }

    record HistoryView(String managedCertificateId, String name, RenewalPolicyController.@Nullable PolicyView policy,
            @Nullable Instant windowStart, @Nullable Instant nextRetryAt, List<AttemptView> attempts) {
    }

    @PostMapping({"/api/certificates/{id}/renew", "/api/managed-certificates/{id}/renew"})
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Renew now: 200 with the attempt when dispatched, 202 when it waits for change approval,"
            + " 422 with the reason when it cannot be renewed (no policy, manual or none, policy inactive, not a leaf,"
            + " not managed), 409 while another attempt is open. The id is a managed certificate's or an inventory"
            + " certificate's that is one of its versions")
    ResponseEntity<RenewView> renew(@PathVariable String id) {
        RenewalAttempt attempt = RenewalProblems.call(() -> renewals.renewNow(id));
        boolean held = attempt.state() == AttemptState.AWAITING_CHANGE_APPROVAL;
        RenewView view = new RenewView(attempt.id(), attempt.state().wire(), attempt.changeRecordId(), held
                ? "Renewal awaiting change approval (attempt " + attempt.id() + ")"
                : "Renewal dispatched (job " + attempt.id() + ")", AttemptView.of(attempt));
        return ResponseEntity.status(held ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .header(HttpHeaders.LOCATION, "/api/renewal-attempts/" + attempt.id()).body(view);
    }

    @GetMapping({"/api/certificates/{id}/renewals", "/api/managed-certificates/{id}/renewals"})
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "Renewal history of a managed certificate (or of the one an inventory certificate is a"
            + " version of): the policy that applies, when the current version enters its window, the next retry"
            + " time during backoff, and the attempts newest first (limit 1 to 200, default 50)")
    HistoryView history(@PathVariable String id, @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > Renewals.MAX_HISTORY) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to " + Renewals.MAX_HISTORY);
        }
        RenewalHistory history;
        try {
            history = renewals.history(id, limit);
        } catch (NoSuchElementException | RenewalRefusedException e) {
            // A certificate that is not managed or not a leaf has no renewals.
            throw RenewalProblems.notFound(e.getMessage());
        }
        return new HistoryView(history.managedCertificateId(), history.name(),
                history.policy() == null ? null : RenewalPolicyController.PolicyView.of(history.policy()),
                history.windowStart(), history.nextRetryAt(), history.attempts().stream().map(AttemptView::of).toList());
    }

    @GetMapping("/api/renewal-attempts/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "One renewal attempt")
    AttemptView attempt(@PathVariable String id) {
        return AttemptView.of(renewals.attempt(id).orElseThrow(
                () -> RenewalProblems.notFound("there is no renewal attempt " + id)));
    }

    @PostMapping("/api/renewals/sweep")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Run the renewal sweep now and return what it did (409 while another sweep runs)")
    SweepSummary sweep() {
        return RenewalProblems.call(sweeps::sweepNow);
    }

    @GetMapping("/api/renewals/sweeps")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "The latest sweeps, newest first (limit 1 to 100, default 20)")
    List<SweepSummary> sweeps(@RequestParam(defaultValue = "20") int limit) {
        return sweeps.latest(limit);
    }
}
