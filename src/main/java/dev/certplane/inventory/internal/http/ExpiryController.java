package dev.certplane.inventory.internal.http;

import dev.certplane.inventory.internal.ExpiryChecks;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Starts the expiry loop on demand; it runs in the background on one replica. */
@RestController
@Tag(name = "Certificates")
class ExpiryController {

    private final ExpiryChecks checks;

    ExpiryController(ExpiryChecks checks) {
        this.checks = checks;
    }

    record ExpiryCheckView(String task, String state) {
    }

    @PostMapping("/api/certificates/expiry-check")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Run the expiry loop now (statuses, ratings, expiry alerts); 202, the result is the "
            + "inventory.expiry-loop.completed audit event")
    ResponseEntity<ExpiryCheckView> check() {
        boolean scheduled = checks.requestRun();
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new ExpiryCheckView("inventory-expiry-loop", scheduled ? "scheduled" : "running"));
    }
}
