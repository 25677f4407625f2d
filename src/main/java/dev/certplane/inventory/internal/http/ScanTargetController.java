package dev.certplane.inventory.internal.http;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import dev.certplane.inventory.internal.discovery.ScanRun;
import dev.certplane.inventory.internal.discovery.ScanTarget;
import dev.certplane.inventory.internal.discovery.ScanTargetConflictException;
import dev.certplane.inventory.internal.discovery.ScanTargetDraft;
import dev.certplane.inventory.internal.discovery.ScanTargets;
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
import org.springframework.web.server.ResponseStatusException;

/** Discovery scan targets and their runs over the operator API. */
@RestController
@Tag(name = "Discovery")
class ScanTargetController {

    private final ScanTargets targets;

    ScanTargetController(ScanTargets targets) {
        this.targets = targets;
    }

    /**
     * Either {@code endpoints} or {@code cidr} with {@code ports}. Checked by {@link ScanTargetDraft#of}, which
     * names the field and the value that is wrong.
     */
    record ScanTargetInput(@Nullable String name, @Nullable List<String> endpoints, @Nullable String cidr,
            @Nullable List<Integer> ports, @Nullable String sni, @Nullable Long intervalSeconds,
            @Nullable Boolean enabled) {
    }

    record ScanTargetView(String id, String name, List<String> endpoints, @Nullable String cidr, List<Integer> ports,
            @Nullable String sni, @Nullable Long intervalSeconds, boolean enabled, String source, Instant createdAt,
            Instant updatedAt, @Nullable Instant nextRunAt, @Nullable Instant lastRunAt) {
    }

    record ScanRunView(String id, String targetId, String state, Instant queuedAt, @Nullable Instant startedAt,
            @Nullable Instant finishedAt, int endpointsScanned, int handshakesOk, int certificatesSeen,
            int certificatesAdded, int endpointsStale, @Nullable String error) {
    }

    @GetMapping("/api/scan-targets")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "List discovery scan targets by name")
    List<ScanTargetView> list() {
        return targets.list().stream().map(ScanTargetController::view).toList();
    }

    @GetMapping("/api/scan-targets/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "One discovery scan target")
    ScanTargetView get(@PathVariable String id) {
        return view(targets.find(id).orElseThrow(() -> notFound(id)));
    }

    @PostMapping("/api/scan-targets")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Create a scan target: host:port endpoints or a CIDR (IPv4 /20, IPv6 /116 or narrower) with "
            + "ports, an optional SNI name, an interval in seconds or none for manual runs only")
    ResponseEntity<ScanTargetView> create(@RequestBody ScanTargetInput input) {
        ScanTarget created = call(() -> targets.create(draft(input)));
        return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.LOCATION, "/api/scan-targets/"
                + created.id()).body(view(created));
    }

    @PutMapping("/api/scan-targets/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Replace a scan target's endpoints or range, SNI, interval and enabled flag")
    ScanTargetView update(@PathVariable String id, @RequestBody ScanTargetInput input) {
        return view(call(() -> targets.update(id, draft(input))).orElseThrow(() -> notFound(id)));
    }

    @DeleteMapping("/api/scan-targets/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Delete a scan target and its runs; what it found stays, no longer listed by it")
    ResponseEntity<Void> delete(@PathVariable String id) {
        if (!call(() -> targets.delete(id))) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/scan-targets/{id}/run")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Queue a run of the target now (202 with the queued run; a run already queued is returned)")
    ResponseEntity<ScanRunView> run(@PathVariable String id) {
        ScanRun run = call(() -> targets.requestRun(id)).orElseThrow(() -> notFound(id));
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(HttpHeaders.LOCATION, "/api/scan-targets/" + id
                + "/runs").body(view(run));
    }

    @GetMapping("/api/scan-targets/{id}/runs")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "The target's latest runs (at most 100), newest first")
    List<ScanRunView> runs(@PathVariable String id) {
        return targets.runs(id).orElseThrow(() -> notFound(id)).stream().map(ScanTargetController::view).toList();
    }

    private static ScanTargetDraft draft(ScanTargetInput input) {
        return ScanTargetDraft.of(input.name(), input.endpoints(), input.cidr(), input.ports(), input.sni(),
                input.intervalSeconds(), input.enabled());
    }

    private static ScanTargetView view(ScanTarget t) {
        ScanTargetDraft s = t.spec();
        return new ScanTargetView(t.id(), s.name(), s.endpoints(), s.cidr(), s.ports(), s.sni(), s.intervalSeconds(),
                s.enabled(), t.source(), t.createdAt(), t.updatedAt(), t.nextRunAt(), t.lastRunAt());
    }

    private static ScanRunView view(ScanRun r) {
        return new ScanRunView(r.id(), r.targetId(), r.state().wire(), r.queuedAt(), r.startedAt(), r.finishedAt(),
                r.endpointsScanned(), r.handshakesOk(), r.certificatesSeen(), r.certificatesAdded(),
                r.endpointsStale(), r.error());
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no scan target " + id);
    }

    /** Validation errors become 400 and clashes with the target's state 409, with their messages. */
    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (ScanTargetConflictException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }
}
