package dev.certplane.acme.client;

import org.jspecify.annotations.Nullable;

/**
 * What an operator gives to add an ACME issuer.
 *
 * @param preset an {@link IssuerPreset} id; {@code custom} needs {@code directoryUrl}
 * @param directoryUrl overrides the preset's (an https URL)
 * @param eabHmacKey base64url, as CAs hand it out
 * @param trustBundlePem roots the CA's TLS certificate must chain to, for a private CA; default: the JDK's roots
 */
public record NewAcmeIssuer(String name, String preset, @Nullable String directoryUrl, @Nullable String contact,
        @Nullable String eabKid, @Nullable String eabHmacKey, @Nullable String preferredChain,
        @Nullable String acmeProfile, @Nullable String trustBundlePem) {
}
