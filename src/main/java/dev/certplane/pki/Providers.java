package dev.certplane.pki;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The cryptographic provider and randomness Certplane signs and verifies with. The BouncyCastle provider is
 * used as an instance rather than registered globally, so nothing depends on (or changes) JVM-wide
 * {@code Security} state; it is used because its ECDSA is several times faster than the JDK's. It is fast
 * only with its own key objects, though: handed a JDK key, it converts the key's domain parameters on
 * every operation, which costs several times the signature itself. Keys used more than once are therefore
 * converted once with {@link #bouncyCastleKey}.
 */
public final class Providers {

    public static final BouncyCastleProvider BC = new BouncyCastleProvider();

    /** One CSPRNG for the module; {@link SecureRandom} is thread-safe. */
    public static final SecureRandom RANDOM = new SecureRandom();

    private Providers() {
    }

    /** The same public key as a BouncyCastle key object. */
    public static PublicKey bouncyCastleKey(PublicKey key) {
        try {
            return KeyFactory.getInstance(key.getAlgorithm(), BC).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PkiException("cannot use the " + key.getAlgorithm() + " public key: " + e.getMessage(), e);
        }
    }

    /** The same private key as a BouncyCastle key object. */
    public static PrivateKey bouncyCastleKey(PrivateKey key) {
        try {
            return KeyFactory.getInstance(key.getAlgorithm(), BC).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PkiException("cannot use the " + key.getAlgorithm() + " private key: " + e.getMessage(), e);
        }
    }
}
