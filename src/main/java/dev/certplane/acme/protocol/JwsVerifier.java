package dev.certplane.acme.protocol;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;

import dev.certplane.pki.Providers;

/** Checks a JWS signature against a key, after checking that the algorithm fits the key (RFC 7518 3). */
public final class JwsVerifier {

    private JwsVerifier() {
    }

    /**
     * @throws AcmeProblem {@code badSignatureAlgorithm} if {@code alg} does not fit the key, {@code malformed}
     *     if the signature does not verify
     */
    public static void verify(FlattenedJws jws, Jwk key) {
        JwsAlgorithm algorithm = JwsAlgorithm.named(jws.algorithm()).orElseThrow();
        boolean rsaKey = key.publicKey() instanceof RSAPublicKey;
        boolean fits = algorithm.curve() == null ? rsaKey : algorithm.curve().equals(key.curve());
        if (!fits) {
            throw AcmeProblem.of(ProblemType.BAD_SIGNATURE_ALGORITHM, "the JWS algorithm " + algorithm
                    + " does not fit the key (" + describe(key) + ")");
        }
        byte[] signature = jws.signature();
        // RFC 8017 8.2.2 step 1: an RSA signature is exactly as long as the modulus (BouncyCastle accepts shorter).
        int length = rsaKey ? (((RSAPublicKey) key.publicKey()).getModulus().bitLength() + 7) / 8
                : algorithm.signatureLength();
        if (signature.length != length) {
            throw AcmeProblem.malformed("the JWS signature does not verify: an " + algorithm + " signature is "
                    + length + " bytes, this one is " + signature.length);
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(algorithm.jcaName(), Providers.BC);
            verifier.initVerify(key.publicKey());
            verifier.update(jws.signingInput());
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw AcmeProblem.malformed("the JWS signature does not verify with the " + describe(key) + " key");
        }
    }

    private static String describe(Jwk key) {
        return key.curve() == null ? "RSA" : key.curve();
    }
}
