package dev.certplane.pki;

import java.security.SecureRandom;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The cryptographic provider and randomness this module uses. The BouncyCastle provider is used as
 * an instance rather than registered globally, so nothing here depends on (or changes) JVM-wide
 * {@code Security} state; it is used for signing and verifying because its ECDSA is several times
 * faster than the JDK's.
 */
public final class Providers {

    public static final BouncyCastleProvider BC = new BouncyCastleProvider();

    /** One CSPRNG for the module; {@link SecureRandom} is thread-safe. */
    public static final SecureRandom RANDOM = new SecureRandom();

    private Providers() {
    }
}
