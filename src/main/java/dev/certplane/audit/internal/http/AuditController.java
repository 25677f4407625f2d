package dev.certplane.audit.internal.http;

import java.time.Instant;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.certplane.audit.AuditLog;
import dev.certplane.audit.AuditPage;
import dev.certplane.audit.AuditQuery;
import dev.certplane.audit.ChainVerification;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/audit")
@Tag(name = "Audit")
@PreAuthorize("hasAuthority('" + Permissions.AUDIT_VIEW + "')")
class AuditController {

    private final AuditLog auditLog;

    AuditController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @GetMapping
    @Operation(summary = "Search audit events, newest first")
    AuditPage search(@RequestParam(required = false) @Size(max = 255) String actor,
            @RequestParam(required = false) @Size(max = 100) String action,
            @RequestParam(required = false) @Size(max = 500) String target,
            @RequestParam(required = false) @Pattern(regexp = "(?i)success|failure|denied",
                    message = "must be one of success, failure, denied") String outcome,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return auditLog.search(new AuditQuery(actor, action, target, outcome, from, to, page, size));
    }

    @GetMapping("/verify")
    @Operation(summary = "Walk the hash chain and report whether it is intact or where it first breaks")
    ChainVerification verify() {
        return auditLog.verify();
    }
}
