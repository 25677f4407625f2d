package dev.certplane.acme.client.internal.http;

import java.util.List;

import dev.certplane.acme.client.AcmeIssuer;
import dev.certplane.acme.client.AcmeIssuers;
import dev.certplane.acme.client.IssuerNameTakenException;
import dev.certplane.acme.client.IssuerPreset;
import dev.certplane.acme.client.NewAcmeIssuer;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The issuer catalog and the ACME issuers over the operator API. */
@RestController
@Tag(name = "ACME issuers")
@PreAuthorize("hasAuthority('" + Permissions.ACME_MANAGE + "')")
class AcmeIssuerController {

    private final AcmeIssuers issuers;

    AcmeIssuerController(AcmeIssuers issuers) {
        this.issuers = issuers;
    }

    record IssuerInput(@NotBlank @Size(max = 100) String name, @NotBlank @Size(max = 32) String preset,
            @Nullable @Size(max = 2000) String directoryUrl, @Nullable @Size(max = 320) String contact,
            @Nullable @Size(max = 500) String eabKid, @Nullable @Size(max = 1000) String eabHmacKey,
            @Nullable @Size(max = 500) String preferredChain, @Nullable @Size(max = 100) String acmeProfile,
            @Nullable @Size(max = 65536) String trustBundlePem) {
    }

    @GetMapping("/api/acme/issuer-presets")
    @Operation(summary = "The ACME CAs Certplane knows, and which need external account binding")
    List<IssuerPreset> presets() {
        return IssuerPreset.ALL;
    }

    @GetMapping("/api/acme/issuers")
    @Operation(summary = "List ACME issuers (secrets are never shown)")
    List<AcmeIssuer> list() {
        return issuers.list();
    }

    @GetMapping("/api/acme/issuers/{id}")
    @Operation(summary = "One ACME issuer")
    AcmeIssuer get(@PathVariable String id) {
        return issuers.find(id).orElseThrow(() -> notFound(id));
    }

    @PostMapping("/api/acme/issuers")
    @Operation(summary = "Add an ACME issuer: generates its account key and registers the account with the CA")
    ResponseEntity<AcmeIssuer> create(@Valid @RequestBody IssuerInput input) {
        AcmeIssuer created;
        try {
            created = issuers.create(new NewAcmeIssuer(input.name(), input.preset(), input.directoryUrl(),
                    input.contact(), input.eabKid(), input.eabHmacKey(), input.preferredChain(), input.acmeProfile(),
                    input.trustBundlePem()));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (IssuerNameTakenException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.LOCATION, "/api/acme/issuers/" + created.id())
                .body(created);
    }

    @PostMapping("/api/acme/issuers/{id}/register")
    @Operation(summary = "Register the issuer's account with the CA again, after a failure")
    AcmeIssuer register(@PathVariable String id) {
        issuers.find(id).orElseThrow(() -> notFound(id));
        return issuers.register(id);
    }

    @DeleteMapping("/api/acme/issuers/{id}")
    @Operation(summary = "Remove an ACME issuer and its sealed account key")
    ResponseEntity<Void> delete(@PathVariable String id) {
        if (!issuers.delete(id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no ACME issuer '" + id + "'");
    }
}
