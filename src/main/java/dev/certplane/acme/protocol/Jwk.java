package dev.certplane.acme.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import tools.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

import dev.certplane.pki.PkiException;
import dev.certplane.pki.Providers;

import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * An account's public key as a JWK (RFC 7517): RSA of at least 2048 bits, EC on P-256, P-384 or P-521, or
 * Ed25519 (RFC 8037). Private members are refused. {@link #thumbprint()} is the RFC 7638 SHA-256 thumbprint
 * that identifies the key; {@link #json()} the public JWK for storage.
 */
public final class Jwk {

    static final int MIN_RSA_BITS = 2048;
    static final int MAX_RSA_BITS = 8192;

    private final JWK jwk;
    private final PublicKey publicKey;
    private final String curve;
    private final String thumbprint;

    private Jwk(PublicKey publicKey, String curve) {
        // The key's own JWK, not the client's spelling of it (short or padded EC coordinates, leading zeros in
        // RSA integers, stray base64url bits): one key has one thumbprint, so it is one account and sameKey holds.
        try {
            this.jwk = JWK.parse(membersOf(publicKey));
        } catch (ParseException e) {
            throw new IllegalStateException("cannot re-encode a parsed key as a JWK", e);
        }
        // Converted once: accounts are cached, and BouncyCastle verifies fast only with its own key objects.
        try {
            this.publicKey = Providers.bouncyCastleKey(publicKey);
        } catch (PkiException e) {
            throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, "the jwk is not a usable public key: " + e.getMessage());
        }
        this.curve = curve;
        try {
            this.thumbprint = jwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, "cannot compute the key's RFC 7638 thumbprint: " + e.getMessage());
        }
    }

    /**
     * Parses a JWK from its JSON members.
     *
     * @throws AcmeProblem {@code badPublicKey} for a key we do not accept, {@code malformed} for one that is not a JWK
     */
    public static Jwk parse(Map<String, Object> members) {
        JWK jwk;
        try {
            jwk = JWK.parse(members);
        } catch (ParseException | RuntimeException e) {
            throw AcmeProblem.malformed("the jwk is not a valid JSON Web Key: " + e.getMessage());
        }
        if (jwk.isPrivate()) {
            throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, "the jwk contains private key material; send only the public key");
        }
        try {
            if (jwk instanceof RSAKey rsa) {
                var key = rsa.toRSAPublicKey();
                int bits = key.getModulus().bitLength();
                if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                    throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY,
                            "RSA account keys must have 2048 to 8192 bits; this one has " + bits);
                }
                if (!key.getPublicExponent().testBit(0) || key.getPublicExponent().bitLength() < 2) {
                    throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, "the RSA public exponent must be an odd number above 1");
                }
                return new Jwk(key, null);
            }
            if (jwk instanceof ECKey ec) {
                Curve curve = ec.getCurve();
                if (!Curve.P_256.equals(curve) && !Curve.P_384.equals(curve) && !Curve.P_521.equals(curve)) {
                    throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY,
                            "EC account keys must be on P-256, P-384 or P-521; this one is on " + curve);
                }
                // toECPublicKey checks that the point lies on the curve.
                return new Jwk(ec.toECPublicKey(), curve.getName());
            }
            if (jwk instanceof OctetKeyPair okp) {
                if (!Curve.Ed25519.equals(okp.getCurve())) {
                    throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY,
                            "OKP account keys must be Ed25519; this one is " + okp.getCurve());
                }
                return new Jwk(ed25519(okp.getDecodedX()), "Ed25519");
            }
        } catch (JOSEException e) {
            throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, "the jwk is not a usable public key: " + e.getMessage());
        }
        throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, "account keys must be RSA, EC or Ed25519 (kty "
                + jwk.getKeyType() + " is not accepted)");
    }

    /** Parses a JWK from a JSON object node of a request. */
    public static Jwk parse(JsonNode node) {
        if (!node.isObject()) {
            throw AcmeProblem.malformed("a JWK must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> members = FlattenedJws.JSON.convertValue(node, Map.class);
        return parse(members);
    }

    /** Parses a JWK stored with {@link #json()}. */
    public static Jwk fromJson(String json) {
        try {
            return parse(JWK.parse(json).toJSONObject());
        } catch (ParseException e) {
            throw new IllegalStateException("a stored JWK does not parse: " + e.getMessage(), e);
        }
    }

    /** The JWK of a Java public key (RSA, EC or Ed25519), as a client would send it. */
    public static Map<String, Object> membersOf(PublicKey key) {
        if (key instanceof java.security.interfaces.RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build().toJSONObject();
        }
        if (key instanceof java.security.interfaces.ECPublicKey ec) {
            return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build().toJSONObject();
        }
        byte[] spki = key.getEncoded();
        byte[] raw = SubjectPublicKeyInfo.getInstance(spki).getPublicKeyData().getBytes();
        return new OctetKeyPair.Builder(Curve.Ed25519, com.nimbusds.jose.util.Base64URL.encode(raw)).build().toJSONObject();
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String thumbprint() {
        return thumbprint;
    }

    public String json() {
        return jwk.toPublicJWK().toJSONString();
    }

    /** The curve name for EC and OKP keys, {@code null} for RSA. */
    String curve() {
        return curve;
    }

    /** True if {@code other} is the same public key, compared by RFC 7638 thumbprint. */
    public boolean sameKey(PublicKey other) {
        try {
            return thumbprint.equals(parse(membersOf(other)).thumbprint);
        } catch (AcmeProblem | IllegalArgumentException e) {
            return false;
        }
    }

    private static PublicKey ed25519(byte[] x) {
        if (x.length != 32) {
            throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, "an Ed25519 key is 32 bytes; this one has " + x.length);
        }
        try {
            byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), x).getEncoded();
            return KeyFactory.getInstance("Ed25519", Providers.BC).generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw AcmeProblem.of(ProblemType.BAD_PUBLIC_KEY, "not a usable Ed25519 key: " + e.getMessage());
        }
    }
}
