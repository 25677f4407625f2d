package dev.certplane.probes.internal.http;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.probes.internal.Confirmation;
import dev.certplane.probes.internal.Confirmations;
import dev.certplane.probes.internal.ProbePage;
import dev.certplane.probes.internal.ProbeResult;
import dev.certplane.probes.internal.ProbeStatus;
import dev.certplane.probes.internal.ProbeTarget;
import dev.certplane.probes.internal.ProbeTargetConflictException;
import dev.certplane.probes.internal.ProbeTargetDraft;
import dev.certplane.probes.internal.ProbeTargets;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Probe targets, their results and the confirmations of a managed certificate over the operator API. */
@RestController
@Tag(name = "Probes")
class ProbeController {

    private final ProbeTargets targets;
    private final Confirmations confirmations;
    private final ManagedCertificates certificates;

    ProbeController(ProbeTargets targets, Confirmations confirmations, ManagedCertificates certificates) {
        this.targets = targets;
        this.confirmations = confirmations;
        this.certificates = certificates;
    }

    /** Checked by {@link ProbeTargetDraft#of}, which names the field and the value that is wrong. */
    record ProbeTargetInput(@Nullable String host, @Nullable Integer port, @Nullable String sni,
            @Nullable String starttls, @Nullable String managedCertificateId, @Nullable Long intervalSeconds,
            @Nullable Boolean enabled) {
    }

    record ProbeTargetView(String id, String host, int port, @Nullable String sni, String starttls, String endpoint,
            String managedCertificateId, @Nullable Long intervalSeconds, boolean enabled, Instant createdAt,
            Instant updatedAt, @Nullable Instant nextProbeAt, @Nullable Instant lastProbedAt, @Nullable String status,
            @Nullable Instant statusSince, @Nullable ProbeResultView lastResult) {
    }

    record PageView(List<ProbeTargetView> items, long total, int page, int size, int pages) {
    }

    record ProbeResultView(String id, String targetId, Instant probedAt, String cause, String status,
            List<String> findings, @Nullable String error, @Nullable String protocol, @Nullable String cipherSuite,
            boolean ocspStapled, @Nullable String ocspStatus, boolean trusted, @Nullable String trustProblem,
            @Nullable String leafFingerprint, @Nullable String leafSubject, @Nullable Instant leafNotAfter,
            @Nullable Integer servedVersion, @Nullable Integer currentVersion, List<String> chain, int durationMs) {
    }

    record ConfirmationView(String id, String state, int version, String fingerprintSha256, String cause,
            String reference, Instant startedAt, Instant deadline, List<EndpointView> endpoints) {
    }

    record EndpointView(String probeTargetId, String endpoint, @Nullable String sni, String state, int attempts,
            @Nullable String lastStatus, @Nullable Integer servedVersion, @Nullable Instant concludedAt) {
    }

    @GetMapping("/api/probes")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "List probe targets by endpoint, optionally of one managed certificate or with one status")
    PageView list(@RequestParam(required = false) @Nullable String managedCertificateId,
            @RequestParam(required = false) @Nullable String status, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "100") int size) {
        ProbePage found = call(() -> targets.list(blankToNull(managedCertificateId),
                status == null || status.isBlank() ? null : ProbeStatus.parse(status), page, size));
        int pages = (int) Math.min(Integer.MAX_VALUE, (found.total() + size - 1) / size);
        return new PageView(found.items().stream().map(t -> view(t, null)).toList(), found.total(), found.page(),
                found.size(), pages);
    }

    @GetMapping("/api/probes/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "One probe target with its latest result")
    ProbeTargetView get(@PathVariable String id) {
        ProbeTarget target = targets.find(id).orElseThrow(() -> notFound(id));
        ProbeResult last = target.lastResultId() == null ? null : targets.result(target.lastResultId()).orElse(null);
        return view(target, last);
    }

    @PostMapping("/api/probes")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Create a probe target: host, port, optional SNI name and SMTP STARTTLS, the managed "
            + "certificate it should serve, an interval in seconds (60 to a year) or none to probe only when asked")
    ResponseEntity<ProbeTargetView> create(@RequestBody ProbeTargetInput input) {
        ProbeTarget created = call(() -> targets.create(draft(input)));
        return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.LOCATION, "/api/probes/" + created.id())
                .body(view(created, null));
    }

    @PutMapping("/api/probes/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Replace a probe target's endpoint, managed certificate, interval and enabled flag")
    ProbeTargetView update(@PathVariable String id, @RequestBody ProbeTargetInput input) {
        return view(call(() -> targets.update(id, draft(input))).orElseThrow(() -> notFound(id)), null);
    }

    @DeleteMapping("/api/probes/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Delete a probe target and its results; its alerts are resolved")
    ResponseEntity<Void> delete(@PathVariable String id) {
        if (!targets.delete(id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/probes/{id}/probe")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Probe the target now and return the result (409 if it is disabled)")
    ProbeResultView probe(@PathVariable String id) {
        return view(call(() -> targets.probeNow(id)).orElseThrow(() -> notFound(id)));
    }

    @GetMapping("/api/probes/{id}/results")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "The target's latest results, newest first (limit 1 to 1000, default 100)")
    List<ProbeResultView> results(@PathVariable String id, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > ProbeTargets.MAX_RESULTS) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to " + ProbeTargets.MAX_RESULTS);
        }
        return targets.results(id, limit).orElseThrow(() -> notFound(id)).stream().map(ProbeController::view).toList();
    }

    @GetMapping("/api/managed-certificates/{id}/confirmations")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "Whether the endpoints served each new version and delivery of a managed certificate, newest"
            + " first (limit 1 to 100, default 20)")
    List<ConfirmationView> confirmations(@PathVariable String id, @RequestParam(defaultValue = "20") int limit) {
        if (certificates.find(id).isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no managed certificate " + id);
        }
        if (limit < 1 || limit > Confirmations.MAX_LISTED) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to " + Confirmations.MAX_LISTED);
        }
        return confirmations.latest(id, limit).stream().map(ProbeController::view).toList();
    }

    private static ProbeTargetDraft draft(ProbeTargetInput input) {
        return ProbeTargetDraft.of(input.host(), input.port(), input.sni(), input.starttls(),
                input.managedCertificateId(), input.intervalSeconds(), input.enabled());
    }

    private static ProbeTargetView view(ProbeTarget t, @Nullable ProbeResult last) {
        ProbeTargetDraft s = t.spec();
        return new ProbeTargetView(t.id(), s.host(), s.port(), s.sni(), s.starttls().wire(), s.describe(),
                s.managedCertificateId(), s.intervalSeconds(), s.enabled(), t.createdAt(), t.updatedAt(),
                t.nextProbeAt(), t.lastProbedAt(), t.status() == null ? null : t.status().wire(), t.statusSince(),
                last == null ? null : view(last));
    }

    private static ProbeResultView view(ProbeResult r) {
        return new ProbeResultView(r.id(), r.targetId(), r.probedAt(), r.cause().wire(), r.status().wire(),
                r.findings(), r.error(), r.protocol(), r.cipherSuite(), r.ocspStapled(), r.ocspStatus(), r.trusted(),
                r.trustProblem(), r.leafFingerprint(), r.leafSubject(), r.leafNotAfter(), r.servedVersion(),
                r.expectedVersion(), r.chain(), r.durationMs());
    }

    private static ConfirmationView view(Confirmation c) {
        return new ConfirmationView(c.id(), c.state(), c.version(), c.fingerprintSha256(), c.cause(), c.reference(),
                c.startedAt(), c.deadline(), c.endpoints().stream().map(e -> new EndpointView(e.targetId(),
                        e.address(), e.sni(), e.state().wire(), e.attempts(),
                        e.lastStatus() == null ? null : e.lastStatus().wire(), e.servedVersion(), e.concludedAt()))
                        .toList());
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no probe target " + id);
    }

    /** Validation errors become 400 and clashes with what exists 409, with their messages. */
    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (ProbeTargetConflictException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }
}
