package dev.certplane.acme.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.JsonNode;

/**
 * The {@code externalAccountBinding} of a newAccount payload (RFC 8555 7.3.4): a flattened JWS, MACed with
 * the HMAC key of an external account, whose protected header names that account ({@code kid}) and the
 * newAccount URL, and whose payload is the new account's public key. Parsed here; the caller looks up the
 * HMAC key by {@link #keyId()} and calls {@link #verify}.
 */
public record ExternalAccountBinding(String keyId, String algorithm, String url, Jwk boundKey,
        String protectedPart, String payloadPart, byte[] mac) {

    /** RFC 8555 7.3.4: "MUST indicate a MAC-based algorithm"; these are the JWA HMAC ones (RFC 7518 3.2). */
    private static final Map<String, String> MAC_ALGORITHMS = Map.of("HS256", "HmacSHA256", "HS384", "HmacSHA384",
            "HS512", "HmacSHA512");
    private static final Set<String> MEMBERS = Set.of("protected", "payload", "signature");
    private static final Set<String> HEADER_MEMBERS = Set.of("alg", "kid", "url");

    public ExternalAccountBinding {
        mac = mac.clone();
    }

    /**
     * Parses the binding's structure. Checks nothing that needs the HMAC key.
     *
     * @throws AcmeProblem {@code malformed} naming what is wrong, {@code badSignatureAlgorithm} for a non-MAC
     *     algorithm, {@code badPublicKey} for an unusable key in the payload
     */
    public static ExternalAccountBinding parse(JsonNode node) {
        if (!node.isObject()) {
            throw AcmeProblem.malformed("\"externalAccountBinding\" must be a JWS object (RFC 8555 7.3.4)");
        }
        for (String name : node.propertyNames()) {
            if (!MEMBERS.contains(name)) {
                throw AcmeProblem.malformed("\"externalAccountBinding\" has an unexpected member \"" + name + "\"");
            }
        }
        String protectedPart = member(node, "protected");
        String payloadPart = member(node, "payload");
        byte[] mac = Base64Url.decode(member(node, "signature"), "externalAccountBinding signature");
        JsonNode header = FlattenedJws.readObject(Base64Url.decode(protectedPart, "externalAccountBinding protected header"),
                "the externalAccountBinding protected header");
        for (String name : header.propertyNames()) {
            if (!HEADER_MEMBERS.contains(name)) {
                // RFC 8555 7.3.4: "MUST NOT contain a nonce"; jwk, crit and the rest have no meaning here.
                throw AcmeProblem.malformed("the externalAccountBinding protected header must hold only \"alg\","
                        + " \"kid\" and \"url\"; it has \"" + name + "\"");
            }
        }
        String algorithm = headerString(header, "alg");
        if (!MAC_ALGORITHMS.containsKey(algorithm)) {
            throw AcmeProblem.of(ProblemType.BAD_SIGNATURE_ALGORITHM, "the externalAccountBinding algorithm \""
                    + abbreviate(algorithm) + "\" is not accepted; use HS256, HS384 or HS512 (RFC 8555 7.3.4)");
        }
        String keyId = headerString(header, "kid");
        String url = headerString(header, "url");
        JsonNode payload = FlattenedJws.readObject(Base64Url.decode(payloadPart, "externalAccountBinding payload"),
                "the externalAccountBinding payload (the account's public key as a JWK)");
        return new ExternalAccountBinding(keyId, algorithm, url, Jwk.parse(payload), protectedPart, payloadPart, mac);
    }

    /**
     * Checks the binding against the request it arrived in and the external account's key.
     *
     * @param newAccountUrl the URL of the newAccount request, which the binding must name
     * @param accountKey the key in the outer JWS, which the binding's payload must be
     * @throws AcmeProblem {@code malformed} for the wrong URL or key, {@code unauthorized} if the MAC does not
     *     verify with {@code hmacKey}
     */
    public void verify(byte[] hmacKey, String newAccountUrl, Jwk accountKey) {
        if (!url.equals(newAccountUrl)) {
            throw AcmeProblem.malformed("the externalAccountBinding \"url\" must be the newAccount URL " + newAccountUrl
                    + ", not \"" + abbreviate(url) + "\" (RFC 8555 7.3.4)");
        }
        if (!boundKey.thumbprint().equals(accountKey.thumbprint())) {
            throw AcmeProblem.malformed("the externalAccountBinding payload must be the account key from the outer"
                    + " JWS \"jwk\"; it is another key (RFC 8555 7.3.4)");
        }
        byte[] expected;
        try {
            Mac hmac = Mac.getInstance(MAC_ALGORITHMS.get(algorithm));
            hmac.init(new SecretKeySpec(hmacKey, hmac.getAlgorithm()));
            expected = hmac.doFinal((protectedPart + "." + payloadPart).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC is not available", e);
        }
        if (!MessageDigest.isEqual(expected, mac)) {
            throw AcmeProblem.of(ProblemType.UNAUTHORIZED, "the externalAccountBinding MAC does not verify with the"
                    + " HMAC key of key id \"" + abbreviate(keyId) + "\"; check the HMAC key (base64url) given to the"
                    + " client");
        }
    }

    private static String member(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isString()) {
            throw AcmeProblem.malformed("\"externalAccountBinding\" needs a string \"" + name + "\"");
        }
        return value.asString();
    }

    private static String headerString(JsonNode header, String name) {
        JsonNode value = header.get(name);
        if (value == null || !value.isString() || value.asString().isEmpty()) {
            throw AcmeProblem.malformed("the externalAccountBinding protected header needs a non-empty string \""
                    + name + "\"");
        }
        return value.asString();
    }

    private static String abbreviate(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "…" : text;
    }
}
