package dev.certplane.inventory.internal.http;

import java.time.Instant;
import java.util.List;

import dev.certplane.inventory.CertificateVersion;
import dev.certplane.inventory.DuplicateNameException;
import dev.certplane.inventory.InventoryPage;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificateDraft;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Managed certificates and their versions over the operator API. */
@RestController
@Tag(name = "Managed certificates")
class ManagedCertificateController {

    private final ManagedCertificates certificates;

    ManagedCertificateController(ManagedCertificates certificates) {
        this.certificates = certificates;
    }

    record ManagedCertificateInput(@NotBlank @Size(max = 200) String name,
            @NotEmpty @Size(max = ManagedCertificates.MAX_NAMES) List<@NotBlank @Size(max = 255) String> names,
            @NotBlank @Size(max = 64) String profile, @Nullable @Size(max = 200) String owner,
            @Nullable @Size(max = 200) String organization, @Nullable List<@NotBlank String> tags) {
    }

    record VersionView(int version, String serial, String fingerprintSha256, String issuer, List<String> names,
            Instant notBefore, Instant notAfter, String source, String reference, Instant createdAt, boolean current) {
    }

    record ManagedCertificateView(String id, String name, List<String> names, String profile, @Nullable String owner,
            @Nullable String organization, List<String> tags, @Nullable VersionView current, int versions,
            Instant createdAt, Instant updatedAt) {
    }

    record PageView(List<ManagedCertificateView> items, long total, int page, int size) {
    }

    @PostMapping("/api/managed-certificates")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Create a managed certificate: a name set under a profile, with an owner")
    ResponseEntity<ManagedCertificateView> create(@Valid @RequestBody ManagedCertificateInput input) {
        ManagedCertificate created = call(() -> certificates.create(draft(input)));
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(HttpHeaders.LOCATION, "/api/managed-certificates/" + created.id()).body(view(created));
    }

    @GetMapping("/api/managed-certificates")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "List managed certificates, searched by name or DNS name, filtered by organization or tag")
    PageView list(@RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable String organization,
            @RequestParam(required = false) @Nullable String tag, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        InventoryPage<ManagedCertificate> found = call(() -> certificates.list(q, organization, tag, page, size));
        return new PageView(found.items().stream().map(this::view).toList(), found.total(), found.page(), found.size());
    }

    @GetMapping("/api/managed-certificates/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "One managed certificate with its current version")
    ManagedCertificateView get(@PathVariable String id) {
        return view(require(id));
    }

    @PutMapping("/api/managed-certificates/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Change a managed certificate's names, profile, owner, organization and tags")
    ManagedCertificateView update(@PathVariable String id, @Valid @RequestBody ManagedCertificateInput input) {
        return view(call(() -> certificates.update(id, draft(input))).orElseThrow(() -> notFound(id)));
    }

    @GetMapping("/api/managed-certificates/{id}/versions")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "Every version of a managed certificate, newest first")
    List<VersionView> versions(@PathVariable String id) {
        ManagedCertificate managed = require(id);
        return certificates.versions(id).stream().map(v -> view(v, managed)).toList();
    }

    @GetMapping(path = "/api/managed-certificates/{id}/versions/{version}/pem", produces = "application/pem-certificate-chain")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "A version's certificate and chain as PEM")
    ResponseEntity<String> pem(@PathVariable String id, @PathVariable int version) {
        require(id);
        String pem = certificates.versionPem(id, version).orElseThrow(() -> new ResponseStatusException(
                HttpStatus.NOT_FOUND, "managed certificate " + id + " has no version " + version));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/pem-certificate-chain"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-v" + version + ".pem\"")
                .body(pem);
    }

    private ManagedCertificate require(String id) {
        return certificates.find(id).orElseThrow(() -> notFound(id));
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no managed certificate " + id);
    }

    private static ManagedCertificateDraft draft(ManagedCertificateInput input) {
        return new ManagedCertificateDraft(input.name(), input.names(), input.profile(), input.owner(),
                input.organization(), input.tags() == null ? List.of() : input.tags());
    }

    private ManagedCertificateView view(ManagedCertificate m) {
        VersionView current = m.currentVersion() == null ? null
                : certificates.version(m.id(), m.currentVersion()).map(v -> view(v, m)).orElse(null);
        return new ManagedCertificateView(m.id(), m.name(), m.names(), m.profile(), m.owner(), m.organization(), m.tags(),
                current, m.latestVersion(), m.createdAt(), m.updatedAt());
    }

    private static VersionView view(CertificateVersion v, ManagedCertificate m) {
        return new VersionView(v.version(), v.serial(), v.fingerprintSha256(), v.issuer(), v.names(), v.notBefore(),
                v.notAfter(), v.source(), v.reference(), v.createdAt(),
                m.currentVersion() != null && m.currentVersion() == v.version());
    }

    /** Turns the facade's validation errors into 400 and name clashes into 409, with their messages. */
    private static <T> T call(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (DuplicateNameException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }
}
