package dev.certplane.security;

import java.security.Principal;
import java.util.Set;

/**
 * The authenticated operator behind a request.
 *
 * @param permissions what this request may do: the user's permissions, or for an API token the token's
 *     permissions narrowed to what its user still holds
 * @param apiTokenId the token used, or null for a password login
 */
public record OperatorPrincipal(String userId, String username, Set<String> permissions, String apiTokenId)
        implements Principal {

    public OperatorPrincipal {
        permissions = Set.copyOf(permissions);
    }

    /** The user name, so audit records and logs name the operator rather than this record. */
    @Override
    public String getName() {
        return username;
    }
}
