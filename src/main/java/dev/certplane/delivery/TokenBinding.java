package dev.certplane.delivery;

import org.jspecify.annotations.Nullable;

/**
 * The certificate token an ACME account is bound to.
 *
 * @param refusal why the account may no longer act (token revoked, expired, binding cut off); {@code null} if
 *     it may
 */
public record TokenBinding(String accountId, String tokenId, String keyId, String managedCertificateId,
        @Nullable String refusal) {
}
