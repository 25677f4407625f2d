package dev.certplane.security.internal;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.certplane.security.OperatorPrincipal;
import dev.certplane.security.internal.OperatorAccounts.CreatedToken;
import dev.certplane.security.internal.OperatorAccounts.TokenView;
import dev.certplane.security.internal.OperatorAccounts.UserView;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Operator accounts over the API: who am I, users (admin), and API tokens (anyone, for themselves). */
@RestController
@Tag(name = "Operators")
class OperatorController {

    private final OperatorAccounts accounts;

    OperatorController(OperatorAccounts accounts) {
        this.accounts = accounts;
    }

    record Me(String username, Set<String> permissions, String apiTokenId) {
    }

    record NewUser(@NotBlank @Size(max = 100) @Pattern(regexp = "[a-z0-9][a-z0-9._@-]*",
                    message = "use lower-case letters, digits and . _ @ - (starting with a letter or digit)") String username,
            @NotBlank @Size(min = 12, max = 200, message = "must be 12 to 200 characters") String password,
            @NotEmpty Set<@NotBlank String> permissions) {

        @Override
        public String toString() {
            return "NewUser[username=" + username + ", permissions=" + permissions + "]";
        }
    }

    record NewToken(@NotBlank @Size(max = 100) String name, @NotEmpty Set<@NotBlank String> permissions,
            @Min(1) @Max(3650) Integer expiresInDays) {
    }

    record TokenCreated(TokenView token, String secret) {
    }

    @GetMapping("/api/me")
    @Operation(summary = "The authenticated operator and the permissions this request carries")
    Me me(@AuthenticationPrincipal OperatorPrincipal me) {
        return new Me(me.username(), me.permissions(), me.apiTokenId());
    }

    @GetMapping("/api/users")
    @PreAuthorize("hasAuthority('" + Permissions.ADMIN + "')")
    @Operation(summary = "List operator accounts")
    List<UserView> users() {
        return accounts.users();
    }

    @PostMapping("/api/users")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('" + Permissions.ADMIN + "')")
    @Operation(summary = "Create an operator account")
    UserView createUser(@Valid @RequestBody NewUser user) {
        return accounts.createUser(user.username(), user.password(), user.permissions(), true);
    }

    @GetMapping("/api/api-tokens")
    @Operation(summary = "List your API tokens (all tokens with all=true, for admins)")
    List<TokenView> tokens(@AuthenticationPrincipal OperatorPrincipal me,
            @RequestParam(defaultValue = "false") boolean all) {
        return accounts.tokens(me, all);
    }

    @PostMapping("/api/api-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an API token carrying some of your permissions; the secret is shown only here")
    TokenCreated createToken(@AuthenticationPrincipal OperatorPrincipal me, @Valid @RequestBody NewToken request) {
        CreatedToken created = accounts.createToken(me, request.name(), request.permissions(),
                request.expiresInDays() == null ? null : Duration.ofDays(request.expiresInDays()));
        return new TokenCreated(created.view(), created.token());
    }

    @DeleteMapping("/api/api-tokens/{id}")
    @Operation(summary = "Revoke an API token (your own, or any for admins)")
    TokenView revoke(@AuthenticationPrincipal OperatorPrincipal me,
            @PathVariable @Size(max = 36) String id) {
        return accounts.revokeToken(me, id);
    }
}
