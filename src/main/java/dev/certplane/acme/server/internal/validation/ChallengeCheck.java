package dev.certplane.acme.server.internal.validation;

import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.KeyAuthorization;

/**
 * One challenge to check.
 *
 * @param accountUrl the account's URL, which a CAA {@code accounturi} parameter must match (RFC 8657 3)
 */
public record ChallengeCheck(Identifier identifier, ChallengeType type, KeyAuthorization keyAuthorization,
        String accountUrl, CaaPolicy caa) {
}
