package dev.certplane.acme.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.certplane.pki.Providers;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds ACME request bodies in the flattened JWS JSON serialization (RFC 7515 7.2.2) the way a client would,
 * and the ways a hostile client might: any protected header (including lies about {@code alg}), raw header
 * text, raw parts, broken signatures. Independent of the code under test: it signs with BouncyCastle directly.
 * Public so that tests of the ACME server in other packages can craft requests with it.
 *
 * <p>Algorithms are the JWS names {@code RS256}, {@code ES256}, {@code ES384}, {@code ES512} and {@code EdDSA}.
 */
public final class TestJws {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, KeyPair> SHARED_KEYS = new ConcurrentHashMap<>();

    private TestJws() {
    }

    /**
     * A fresh key pair for a JWS algorithm: RSA 2048 for RS256, P-256, P-384 and P-521 for ES256, ES384 and
     * ES512, Ed25519 for EdDSA.
     */
    public static KeyPair newKeyPair(String alg) {
        try {
            KeyPairGenerator generator;
            switch (alg) {
                case "RS256" -> {
                    generator = KeyPairGenerator.getInstance("RSA", Providers.BC);
                    generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), Providers.RANDOM);
                }
                case "ES256", "ES384", "ES512" -> {
                    generator = KeyPairGenerator.getInstance("EC", Providers.BC);
                    String curve = switch (alg) {
                        case "ES256" -> "secp256r1";
                        case "ES384" -> "secp384r1";
                        default -> "secp521r1";
                    };
                    generator.initialize(new ECGenParameterSpec(curve), Providers.RANDOM);
                }
                case "EdDSA" -> generator = KeyPairGenerator.getInstance("Ed25519", Providers.BC);
                default -> throw new IllegalArgumentException("no key type for JWS algorithm " + alg);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One key pair per algorithm and JVM, for tests that need a key but not a particular one (RSA is slow). */
    public static KeyPair keyPair(String alg) {
        return SHARED_KEYS.computeIfAbsent(alg, TestJws::newKeyPair);
    }

    /** The public JWK of a key, as a client puts it in the protected header. */
    public static Map<String, Object> jwk(PublicKey key) {
        return new LinkedHashMap<>(Jwk.membersOf(key));
    }

    /** A protected header that carries the key itself (newAccount, revokeCert by certificate key). */
    public static Map<String, Object> jwkHeader(String alg, PublicKey key, String nonce, String url) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("jwk", jwk(key));
        header.put("nonce", nonce);
        header.put("url", url);
        return header;
    }

    /** A protected header that names an account by its URL. */
    public static Map<String, Object> kidHeader(String alg, String kid, String nonce, String url) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("kid", kid);
        header.put("nonce", nonce);
        header.put("url", url);
        return header;
    }

    /**
     * A signed request body. {@code alg} chooses how to sign and is written as the header's {@code alg} unless
     * {@code protectedHeader} has an {@code alg} member already, which is then sent as it is (to lie about it).
     *
     * @param protectedHeader written in its iteration order; values are anything Jackson can write
     * @param payloadJson the payload text, or {@code ""} for POST-as-GET
     */
    public static String sign(KeyPair key, String alg, Map<String, Object> protectedHeader, String payloadJson) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!protectedHeader.containsKey("alg")) {
            header.put("alg", alg);
        }
        header.putAll(protectedHeader);
        return signRawHeader(key, alg, json(header), payloadJson);
    }

    /**
     * A request body whose protected header is {@code protectedHeaderJson} exactly as given: duplicate members,
     * no {@code alg}, not JSON at all.
     */
    public static String signRawHeader(KeyPair key, String alg, String protectedHeaderJson, String payloadJson) {
        return signParts(key, alg, b64(protectedHeaderJson), b64(payloadJson));
    }

    /** A request body signed over the two given base64url parts, which are not checked. */
    public static String signParts(KeyPair key, String alg, String protectedPart, String payloadPart) {
        byte[] signingInput = (protectedPart + "." + payloadPart).getBytes(StandardCharsets.US_ASCII);
        return body(protectedPart, payloadPart, b64(signature(key.getPrivate(), alg, signingInput)));
    }

    /** The JWS signature of {@code alg} over {@code signingInput}: PKCS#1 v1.5, r || s for ECDSA, or Ed25519. */
    public static byte[] signature(PrivateKey key, String alg, byte[] signingInput) {
        String jcaName = switch (alg) {
            case "RS256" -> "SHA256withRSA";
            case "ES256" -> "SHA256withPLAIN-ECDSA";
            case "ES384" -> "SHA384withPLAIN-ECDSA";
            case "ES512" -> "SHA512withPLAIN-ECDSA";
            case "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("cannot sign with JWS algorithm " + alg);
        };
        try {
            Signature signer = Signature.getInstance(jcaName, Providers.BC);
            signer.initSign(key, Providers.RANDOM);
            signer.update(signingInput);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An {@code externalAccountBinding} object (RFC 8555 7.3.4) MACed with {@code hmacKey}: the protected header
     * {@code {"alg","kid","url"}} and the account key as payload.
     */
    public static Map<String, Object> externalAccountBinding(String alg, String kid, String url, byte[] hmacKey,
            PublicKey accountKey) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("kid", kid);
        header.put("url", url);
        return macedBinding(alg, json(header), json(jwk(accountKey)), hmacKey);
    }

    /** An {@code externalAccountBinding} over exactly the given header and payload texts. */
    public static Map<String, Object> macedBinding(String alg, String headerJson, String payloadJson, byte[] hmacKey) {
        String protectedPart = b64(headerJson);
        String payloadPart = b64(payloadJson);
        String jca = switch (alg) {
            case "HS384" -> "HmacSHA384";
            case "HS512" -> "HmacSHA512";
            default -> "HmacSHA256";
        };
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(jca);
            mac.init(new javax.crypto.spec.SecretKeySpec(hmacKey, jca));
            byte[] tag = mac.doFinal((protectedPart + "." + payloadPart).getBytes(StandardCharsets.US_ASCII));
            Map<String, Object> binding = new LinkedHashMap<>();
            binding.put("protected", protectedPart);
            binding.put("payload", payloadPart);
            binding.put("signature", b64(tag));
            return binding;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A body of the three members with the given texts, unchecked. */
    public static String body(String protectedPart, String payloadPart, String signaturePart) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("protected", protectedPart);
        members.put("payload", payloadPart);
        members.put("signature", signaturePart);
        return json(members);
    }

    /** A body of arbitrary members: missing ones, extra ones, values that are not strings. */
    public static String body(Map<String, Object> members) {
        return json(members);
    }

    /** The members of a body, to take a request apart and put it together differently. */
    public static Map<String, Object> members(String body) {
        return new LinkedHashMap<>(JSON.readValue(body, new TypeReference<Map<String, Object>>() { }));
    }

    /** The same body with one bit flipped in the middle of its signature. */
    public static String withBrokenSignature(String body) {
        Map<String, Object> members = members(body);
        byte[] signature = Base64.getUrlDecoder().decode((String) members.get("signature"));
        signature[signature.length / 2] ^= 0x01;
        members.put("signature", b64(signature));
        return json(members);
    }

    /** Unpadded base64url of the UTF-8 text. */
    public static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Unpadded base64url. */
    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Any value as JSON text, maps in their iteration order. */
    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }
}
