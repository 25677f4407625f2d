package dev.certplane.acme.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request body in the JWS flattened JSON serialization (RFC 7515 7.2.2), the only one ACME allows
 * (RFC 8555 6.2), parsed but not yet verified. The protected header must carry {@code alg}, exactly one of
 * {@code jwk} and {@code kid}, {@code nonce} and {@code url}; an unprotected header, the general
 * serialization, duplicate members and {@code crit} are refused.
 */
public record FlattenedJws(String protectedPart, String payloadPart, byte[] signature, String algorithm,
        @Nullable Jwk jwk, @Nullable String kid, @Nullable String nonce, String url, byte[] payload) {

    static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final Set<String> MEMBERS = Set.of("protected", "payload", "signature");

    public FlattenedJws {
        signature = signature.clone();
        payload = payload.clone();
    }

    /**
     * Parses a request body. Checks only structure; {@link JwsVerifier} checks the signature.
     *
     * @throws AcmeProblem {@code malformed} naming what is wrong, or {@code badSignatureAlgorithm}
     */
    public static FlattenedJws parse(byte[] body) {
        JsonNode root = readObject(body, "the request body");
        if (root.has("signatures")) {
            throw AcmeProblem.malformed("the JWS uses the general JSON serialization; ACME requires the flattened one"
                    + " (RFC 8555 6.2)");
        }
        if (root.has("header")) {
            throw AcmeProblem.malformed("the JWS has an unprotected header; ACME allows only the protected one"
                    + " (RFC 8555 6.2)");
        }
        for (String name : root.propertyNames()) {
            if (!MEMBERS.contains(name)) {
                throw AcmeProblem.malformed("the JWS has an unexpected member \"" + name + "\"");
            }
        }
        String protectedPart = requiredString(root, "protected", "the JWS");
        String payloadPart = requiredString(root, "payload", "the JWS");
        String signaturePart = requiredString(root, "signature", "the JWS");
        JsonNode header = readObject(Base64Url.decode(protectedPart, "protected header"), "the protected header");
        if (header.has("crit")) {
            throw AcmeProblem.malformed("the protected header has \"crit\"; no JWS extensions are supported");
        }
        String algorithm = requiredString(header, "alg", "the protected header");
        if (JwsAlgorithm.named(algorithm).isEmpty()) {
            throw AcmeProblem.of(ProblemType.BAD_SIGNATURE_ALGORITHM, "the JWS algorithm \"" + algorithm
                    + "\" is not accepted; use one of " + JwsAlgorithm.names());
        }
        boolean hasJwk = header.has("jwk");
        boolean hasKid = header.has("kid");
        if (hasJwk == hasKid) {
            throw AcmeProblem.malformed("the protected header must have exactly one of \"jwk\" and \"kid\""
                    + " (RFC 8555 6.2)");
        }
        Jwk jwk = null;
        if (hasJwk) {
            jwk = Jwk.parse(header.get("jwk"));
        }
        String kid = hasKid ? requiredString(header, "kid", "the protected header") : null;
        String nonce = header.has("nonce") ? requiredString(header, "nonce", "the protected header") : null;
        String url = requiredString(header, "url", "the protected header");
        byte[] signature = Base64Url.decode(signaturePart, "signature");
        byte[] payload = Base64Url.decode(payloadPart, "payload");
        return new FlattenedJws(protectedPart, payloadPart, signature, algorithm, jwk, kid, nonce, url, payload);
    }

    /** POST-as-GET (RFC 8555 6.3): the payload is the empty string. */
    public boolean isPostAsGet() {
        return payloadPart.isEmpty();
    }

    /** The payload as a JSON object; {@code malformed} if it is empty or not an object. */
    public JsonNode payloadObject() {
        if (isPostAsGet()) {
            throw AcmeProblem.malformed("this resource needs a JSON object payload, not POST-as-GET");
        }
        return readObject(payload, "the payload");
    }

    byte[] signingInput() {
        return (protectedPart + "." + payloadPart).getBytes(StandardCharsets.US_ASCII);
    }

    static JsonNode readObject(byte[] json, String what) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            throw AcmeProblem.malformed(what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw AcmeProblem.malformed(what + " must be a JSON object");
        }
        return node;
    }

    private static String requiredString(JsonNode object, String name, String where) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            throw AcmeProblem.malformed(where + " has no \"" + name + "\"");
        }
        if (!value.isString()) {
            throw AcmeProblem.malformed("\"" + name + "\" in " + where + " must be a string");
        }
        return value.asString();
    }
}
