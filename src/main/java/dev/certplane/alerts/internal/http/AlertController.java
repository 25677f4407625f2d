package dev.certplane.alerts.internal.http;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.certplane.alerts.Alert;
import dev.certplane.alerts.AlertPage;
import dev.certplane.alerts.AlertState;
import dev.certplane.alerts.Alerts;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Alerts over the operator API. Alerts are about certificates, so reading them takes certificates.view. */
@RestController
@Tag(name = "Alerts")
@PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
class AlertController {

    private final Alerts alerts;

    AlertController(Alerts alerts) {
        this.alerts = alerts;
    }

    record AlertView(String id, String key, String kind, String severity, String target, String title, String message,
            Map<String, String> details, String state, Instant openedAt, Instant updatedAt, @Nullable Instant resolvedAt,
            @Nullable String resolution) {
    }

    record PageView(List<AlertView> items, long total, int page, int size, int pages) {
    }

    @GetMapping("/api/alerts")
    @Operation(summary = "List alerts, newest first, filtered by state (open or resolved) and kind")
    PageView list(@RequestParam(required = false) @Nullable String state,
            @RequestParam(required = false) @Nullable String kind, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        try {
            AlertState parsed = state == null || state.isBlank() ? null : AlertState.parse(state);
            AlertPage found = alerts.list(parsed, kind == null || kind.isBlank() ? null : kind, page, size);
            int pages = (int) Math.min(Integer.MAX_VALUE, (found.total() + size - 1) / size);
            return new PageView(found.items().stream().map(AlertController::view).toList(), found.total(), found.page(), found.size(), pages);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    @GetMapping("/api/alerts/{id}")
    @Operation(summary = "One alert")
    AlertView get(@PathVariable String id) {
        return alerts.find(id).map(AlertController::view)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no alert " + id));
    }

    private static AlertView view(Alert a) {
        return new AlertView(a.id(), a.key(), a.kind(), a.severity().wire(), a.target(), a.title(), a.message(),
                a.details(), a.state().wire(), a.openedAt(), a.updatedAt(), a.resolvedAt(), a.resolution());
    }
}
