package dev.certplane.renewal.internal.http;

import java.time.Instant;
import java.util.List;

import dev.certplane.renewal.ChangeRecord;
import dev.certplane.renewal.ChangeRecords;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Change records and their approval over the operator API. */
@RestController
@Tag(name = "Renewal")
class ChangeRecordController {

    private final ChangeRecords changes;

    ChangeRecordController(ChangeRecords changes) {
        this.changes = changes;
    }

    record ChangeView(String id, String number, String attemptId, String managedCertificateId, String summary,
            String state, String requestedBy, @Nullable String decidedBy, @Nullable Instant decidedAt,
            @Nullable String decisionNote, Instant createdAt) {

        static ChangeView of(ChangeRecord c) {
            return new ChangeView(c.id(), c.number(), c.attemptId(), c.managedCertificateId(), c.summary(), c.state(),
                    c.requestedBy(), c.decidedBy(), c.decidedAt(), c.decisionNote(), c.createdAt());
        }
    }

    record Decision(@Nullable String note) {
    }

    @GetMapping("/api/change-records")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "Change records newest first, optionally in one state (pending, approved, rejected,"
            + " cancelled); limit 1 to 500, default 100")
    List<ChangeView> list(@RequestParam(required = false) @Nullable String state,
            @RequestParam(defaultValue = "100") int limit) {
        return RenewalProblems.call(() -> changes.list(state == null || state.isBlank() ? null : state, limit))
                .stream().map(ChangeView::of).toList();
    }

    @GetMapping("/api/change-records/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "One change record")
    ChangeView get(@PathVariable String id) {
        return ChangeView.of(changes.find(id).orElseThrow(() -> notFound(id)));
    }

    @PostMapping("/api/change-records/{id}/approve")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Approve a pending change (not by its requester: 403); the next sweep dispatches the renewal")
    ChangeView approve(@PathVariable String id, @RequestBody(required = false) @Nullable Decision decision) {
        return ChangeView.of(RenewalProblems.call(() -> changes.approve(id, decision == null ? null : decision.note()))
                .orElseThrow(() -> notFound(id)));
    }

    @PostMapping("/api/change-records/{id}/reject")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Reject a pending change (not by its requester: 403); its renewal attempt closes")
    ChangeView reject(@PathVariable String id, @RequestBody(required = false) @Nullable Decision decision) {
        return ChangeView.of(RenewalProblems.call(() -> changes.reject(id, decision == null ? null : decision.note()))
                .orElseThrow(() -> notFound(id)));
    }

    private static RuntimeException notFound(String id) {
        return RenewalProblems.notFound("there is no change record " + id);
    }
}
