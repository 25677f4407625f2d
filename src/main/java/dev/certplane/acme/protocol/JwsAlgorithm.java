package dev.certplane.acme.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The JWS algorithms accepted for ACME requests (RFC 8555 6.2: asymmetric only; RFC 7518 3 and RFC 8037
 * for EdDSA). Each fixes the JCA signature algorithm of its BouncyCastle implementation; ECDSA uses the
 * "PLAIN" (r || s) encoding that JWS specifies (RFC 7518 3.4) instead of DER.
 */
public enum JwsAlgorithm {
    RS256("SHA256withRSA", null, 0),
    ES256("SHA256withPLAIN-ECDSA", "P-256", 64),
    ES384("SHA384withPLAIN-ECDSA", "P-384", 96),
    ES512("SHA512withPLAIN-ECDSA", "P-521", 132),
    EdDSA("Ed25519", "Ed25519", 64);

    private final String jcaName;
    private final String curve;
    private final int signatureLength;

    JwsAlgorithm(String jcaName, String curve, int signatureLength) {
        this.jcaName = jcaName;
        this.curve = curve;
        this.signatureLength = signatureLength;
    }

    public static Optional<JwsAlgorithm> named(String name) {
        return Arrays.stream(values()).filter(a -> a.name().equals(name)).findFirst();
    }

    /** The {@code algorithms} member of a {@code badSignatureAlgorithm} problem (RFC 8555 6.2). */
    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }

    String jcaName() {
        return jcaName;
    }

    /** The curve a key must be on for this algorithm, {@code null} for RSA. */
    String curve() {
        return curve;
    }

    /** The exact signature length in bytes, 0 where it depends on the key (RSA). */
    int signatureLength() {
        return signatureLength;
    }
}
