package dev.certplane.acme.client;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An external ACME CA as configured, without its secrets: the EAB MAC key and the account key never leave
 * the secrets module's sealed form except to sign requests to the CA.
 *
 * @param status {@code registering}, {@code registered} (the CA knows the account: {@code accountUrl}) or
 *     {@code failed} ({@code lastError} says what the CA answered)
 */
public record AcmeIssuer(String id, String name, String preset, String directoryUrl, @Nullable String contact,
        @Nullable String eabKid, boolean hasEabKey, @Nullable String preferredChain, @Nullable String acmeProfile,
        boolean hasTrustBundle, @Nullable String accountUrl, String status, @Nullable String lastError,
        Instant createdAt, Instant updatedAt) {
}
