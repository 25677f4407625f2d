package dev.certplane.delivery.internal.http;

import java.time.Instant;
import java.util.List;

import dev.certplane.delivery.CertificateToken;
import dev.certplane.delivery.CertificateTokens;
import dev.certplane.delivery.Delivery;
import dev.certplane.delivery.DeliveryRecord;
import dev.certplane.delivery.IssuedToken;
import dev.certplane.delivery.TokenStateException;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Certificate tokens over the operator API, and the deliveries of a managed certificate. */
@RestController
@Tag(name = "Certificate tokens")
class CertificateTokenController {

    private final CertificateTokens tokens;
    private final Delivery delivery;
    private final ManagedCertificates certificates;

    CertificateTokenController(CertificateTokens tokens, Delivery delivery, ManagedCertificates certificates) {
        this.tokens = tokens;
        this.delivery = delivery;
        this.certificates = certificates;
    }

    record NewToken(@NotBlank @Size(max = 64) String managedCertificateId, @NotBlank @Size(max = 200) String name,
            @Nullable Instant expiresAt, @Nullable @Min(1) @Max(CertificateTokens.MAX_ACCOUNTS_LIMIT) Integer maxAccounts) {
    }

    record Rotation(@Nullable Boolean unbindAccounts) {
    }

    /** The token with its HMAC key: shown in this response only. */
    record TokenWithKey(CertificateToken token, String keyId, String hmacKey, @Nullable String directoryUrl) {
    }

    record TokenDetail(CertificateToken token, @Nullable String directoryUrl, List<CertificateTokens.Binding> bindings) {
    }

    @PostMapping("/api/certificate-tokens")
    @PreAuthorize("hasAuthority('" + Permissions.TOKENS_MANAGE + "')")
    @Operation(summary = "Create a certificate token for one managed certificate; the HMAC key is shown only here")
    ResponseEntity<TokenWithKey> create(@Valid @RequestBody NewToken input) {
        IssuedToken issued;
        try {
            issued = tokens.create(input.managedCertificateId(), input.name(), input.expiresAt(), input.maxAccounts());
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(HttpHeaders.LOCATION, "/api/certificate-tokens/" + issued.token().id())
                .header(HttpHeaders.CACHE_CONTROL, "no-store").body(withKey(issued));
    }

    @GetMapping("/api/certificate-tokens")
    @PreAuthorize("hasAuthority('" + Permissions.TOKENS_MANAGE + "')")
    @Operation(summary = "List certificate tokens (never their keys), optionally of one managed certificate")
    List<CertificateToken> list(@RequestParam(required = false) @Nullable String managedCertificateId) {
        return tokens.list(managedCertificateId);
    }

    @GetMapping("/api/certificate-tokens/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.TOKENS_MANAGE + "')")
    @Operation(summary = "One certificate token with the ACME accounts bound to it")
    TokenDetail get(@PathVariable String id) {
        CertificateToken token = tokens.find(id).orElseThrow(() -> notFound(id));
        return new TokenDetail(token, tokens.directoryUrl(token).orElse(null), tokens.bindings(id));
    }

    @PostMapping("/api/certificate-tokens/{id}/revoke")
    @PreAuthorize("hasAuthority('" + Permissions.TOKENS_MANAGE + "')")
    @Operation(summary = "Revoke a certificate token: every ACME account bound to it is refused at once")
    CertificateToken revoke(@PathVariable String id) {
        try {
            return tokens.revoke(id).orElseThrow(() -> notFound(id));
        } catch (TokenStateException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    @PostMapping("/api/certificate-tokens/{id}/rotate")
    @PreAuthorize("hasAuthority('" + Permissions.TOKENS_MANAGE + "')")
    @Operation(summary = "Replace a token's HMAC key (shown only here); optionally cut off the accounts bound so far")
    ResponseEntity<TokenWithKey> rotate(@PathVariable String id, @RequestBody(required = false) @Nullable Rotation rotation) {
        boolean unbind = rotation != null && Boolean.TRUE.equals(rotation.unbindAccounts());
        try {
            IssuedToken issued = tokens.rotate(id, unbind).orElseThrow(() -> notFound(id));
            return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(withKey(issued));
        } catch (TokenStateException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    @GetMapping("/api/managed-certificates/{id}/deliveries")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
    @Operation(summary = "Which token and ACME account fetched which version of a managed certificate, when, from where")
    List<DeliveryRecord> deliveries(@PathVariable String id, @RequestParam(defaultValue = "100") int limit) {
        if (certificates.find(id).isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no managed certificate " + id);
        }
        if (limit < 1 || limit > Delivery.MAX_DELIVERIES) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to " + Delivery.MAX_DELIVERIES);
        }
        return delivery.deliveries(id, limit);
    }

    private TokenWithKey withKey(IssuedToken issued) {
        return new TokenWithKey(issued.token(), issued.token().keyId(), issued.hmacKey(),
                tokens.directoryUrl(issued.token()).orElse(null));
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no certificate token " + id);
    }
}
