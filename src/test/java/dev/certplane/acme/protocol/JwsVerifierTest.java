package dev.certplane.acme.protocol;

import static dev.certplane.acme.protocol.TestJws.b64;
import static dev.certplane.acme.protocol.TestJws.jwkHeader;
import static dev.certplane.acme.protocol.TestJws.keyPair;
import static dev.certplane.acme.protocol.TestJws.kidHeader;
import static dev.certplane.acme.protocol.TestJws.members;
import static dev.certplane.acme.protocol.TestJws.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Signature verification (RFC 7515 5.2, RFC 7518 3) and the algorithm-to-key rules. */
class JwsVerifierTest {

    private static final String URL = "https://acme.test/acme/default/new-order";
    private static final String PAYLOAD = "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"www.example.com\"}]}";

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "ES384", "ES512", "EdDSA"})
    void aGoodSignatureVerifies(String alg) {
        KeyPair key = keyPair(alg);
        FlattenedJws jws = parse(sign(key, alg, jwkHeader(alg, key.getPublic(), "n1", URL), PAYLOAD));

        assertThatCode(() -> JwsVerifier.verify(jws, jws.jwk())).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "ES384", "ES512", "EdDSA"})
    void aPostAsGetSignatureVerifiesAgainstTheAccountKey(String alg) {
        KeyPair key = keyPair(alg);
        Jwk accountKey = Jwk.fromJson(Jwk.parse(TestJws.jwk(key.getPublic())).json());

        assertThatCode(() -> JwsVerifier.verify(parse(sign(key, alg, kidHeader(alg, "acct", "n1", URL), "")), accountKey))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "ES384", "ES512", "EdDSA"})
    void aFlippedSignatureBitDoesNotVerify(String alg) {
        KeyPair key = keyPair(alg);
        String body = sign(key, alg, jwkHeader(alg, key.getPublic(), "n1", URL), PAYLOAD);

        assertDoesNotVerify(parse(TestJws.withBrokenSignature(body)), ProblemType.MALFORMED, "does not verify");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "ES384", "ES512", "EdDSA"})
    void aSignatureByAnotherKeyOfTheSameTypeDoesNotVerify(String alg) {
        KeyPair signer = TestJws.newKeyPair(alg);
        Jwk claimed = Jwk.parse(TestJws.jwk(keyPair(alg).getPublic()));

        assertDoesNotVerify(parse(sign(signer, alg, kidHeader(alg, "acct", "n1", URL), PAYLOAD)), claimed,
                ProblemType.MALFORMED, "does not verify");
    }

    @ParameterizedTest
    @CsvSource({"ES256, 64", "ES384, 96", "ES512, 132", "EdDSA, 64"})
    void aSignatureOfTheWrongLengthDoesNotVerify(String alg, int length) {
        KeyPair key = keyPair(alg);
        Map<String, Object> members = members(sign(key, alg, jwkHeader(alg, key.getPublic(), "n1", URL), PAYLOAD));
        byte[] signature = Base64.getUrlDecoder().decode((String) members.get("signature"));
        assertThat(signature).hasSize(length);

        for (byte[] wrong : new byte[][] {Arrays.copyOf(signature, length - 1), Arrays.copyOf(signature, length + 1),
            new byte[0], prefixZero(signature)}) {
            members.put("signature", b64(wrong));
            assertDoesNotVerify(parse(TestJws.body(members)), ProblemType.MALFORMED, "signature is " + length + " bytes");
        }
    }

    @Test
    void anRsaSignatureMustBeAsLongAsTheModulus() {
        // BouncyCastle verifies an RSA signature whose leading zero octet was dropped; RFC 8017 8.2.2 refuses it.
        KeyPair key = keyPair("RS256");
        Map<String, Object> header = jwkHeader("RS256", key.getPublic(), "n1", URL);
        byte[] signature;
        Map<String, Object> members;
        int attempt = 0;
        do {
            header.put("nonce", "n" + attempt++);
            members = members(sign(key, "RS256", header, PAYLOAD));
            signature = Base64.getUrlDecoder().decode((String) members.get("signature"));
        } while (signature[0] != 0);
        assertThat(signature).hasSize(256);

        for (byte[] wrong : new byte[][] {Arrays.copyOfRange(signature, 1, signature.length), prefixZero(signature)}) {
            members.put("signature", b64(wrong));
            assertDoesNotVerify(parse(TestJws.body(members)), ProblemType.MALFORMED, "signature is 256 bytes");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "ES256, ES384", "ES256, ES512", "ES384, ES256", "ES512, ES384", "ES256, RS256", "ES256, EdDSA",
        "RS256, ES256", "RS256, EdDSA", "EdDSA, ES256", "EdDSA, RS256"})
    void anAlgorithmThatDoesNotFitTheKeyIsABadSignatureAlgorithm(String claimedAlg, String keyAlg) {
        KeyPair key = keyPair(keyAlg);
        Map<String, Object> header = jwkHeader(claimedAlg, key.getPublic(), "n1", URL);

        // Signed correctly for the key; only the claimed algorithm is wrong.
        assertDoesNotVerify(parse(sign(key, keyAlg, header, PAYLOAD)), ProblemType.BAD_SIGNATURE_ALGORITHM,
                "does not fit the key");
    }

    @Test
    void aSignatureOverAnotherProtectedHeaderDoesNotVerify() {
        KeyPair key = keyPair("ES256");
        Map<String, Object> signed = members(sign(key, "ES256", kidHeader("ES256", "acct", "nonce-1", URL), PAYLOAD));
        Map<String, Object> replayed = members(sign(key, "ES256", kidHeader("ES256", "acct", "nonce-2", URL), PAYLOAD));
        replayed.put("signature", signed.get("signature"));
        Jwk accountKey = Jwk.parse(TestJws.jwk(key.getPublic()));

        assertDoesNotVerify(parse(TestJws.body(replayed)), accountKey, ProblemType.MALFORMED, "does not verify");
    }

    @Test
    void aSignatureOverAnotherPayloadDoesNotVerify() {
        KeyPair key = keyPair("EdDSA");
        Map<String, Object> members = members(sign(key, "EdDSA", jwkHeader("EdDSA", key.getPublic(), "n1", URL), PAYLOAD));
        members.put("payload", b64(PAYLOAD.replace("www", "evil")));

        assertDoesNotVerify(parse(TestJws.body(members)), ProblemType.MALFORMED, "does not verify");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "EdDSA"})
    void signThenVerifySucceedsForAnyPayload(String alg) {
        KeyPair key = keyPair(alg);
        Jwk jwk = Jwk.parse(TestJws.jwk(key.getPublic()));
        qt().withExamples(alg.equals("RS256") ? 30 : 150).forAll(payloads()).checkAssert(payload -> {
            FlattenedJws jws = signed(key, alg, payload);
            assertThat(jws.payload()).isEqualTo(payload);
            JwsVerifier.verify(jws, jwk);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "EdDSA"})
    void anySingleBitFlipInTheSigningInputFailsVerification(String alg) {
        KeyPair key = keyPair(alg);
        Jwk jwk = Jwk.parse(TestJws.jwk(key.getPublic()));
        qt().withExamples(alg.equals("RS256") ? 30 : 150)
                .forAll(payloads(), integers().between(0, Integer.MAX_VALUE - 1), integers().between(0, 7))
                .checkAssert((payload, position, bit) -> {
                    FlattenedJws jws = signed(key, alg, payload);
                    String input = new String(jws.signingInput(), StandardCharsets.ISO_8859_1);
                    int dot = jws.protectedPart().length();
                    // The dot is structure, not content: flip any other character of the signing input.
                    int at = position % (input.length() - 1);
                    at = at >= dot ? at + 1 : at;
                    char[] chars = input.toCharArray();
                    chars[at] ^= (char) (1 << bit);
                    String flipped = new String(chars);
                    FlattenedJws tampered = new FlattenedJws(flipped.substring(0, dot), flipped.substring(dot + 1),
                            jws.signature(), alg, jws.jwk(), jws.kid(), jws.nonce(), jws.url(), jws.payload());
                    assertThat(tampered.signingInput()).isNotEqualTo(jws.signingInput());

                    assertDoesNotVerify(tampered, jwk, ProblemType.MALFORMED, "does not verify");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "EdDSA"})
    void anySingleBitFlipInTheSignatureFailsVerification(String alg) {
        KeyPair key = keyPair(alg);
        Jwk jwk = Jwk.parse(TestJws.jwk(key.getPublic()));
        qt().withExamples(alg.equals("RS256") ? 30 : 150)
                .forAll(payloads(), integers().between(0, Integer.MAX_VALUE - 1), integers().between(0, 7))
                .checkAssert((payload, position, bit) -> {
                    FlattenedJws jws = signed(key, alg, payload);
                    byte[] signature = jws.signature().clone();
                    signature[position % signature.length] ^= (byte) (1 << bit);
                    FlattenedJws tampered = new FlattenedJws(jws.protectedPart(), jws.payloadPart(), signature, alg,
                            jws.jwk(), jws.kid(), jws.nonce(), jws.url(), jws.payload());

                    assertDoesNotVerify(tampered, jwk, ProblemType.MALFORMED, "does not verify");
                });
    }

    private static Gen<byte[]> payloads() {
        return Generate.byteArrays(integers().between(0, 300), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    /** A request over arbitrary payload bytes (JWS payloads need not be JSON). */
    private static FlattenedJws signed(KeyPair key, String alg, byte[] payload) {
        String protectedPart = b64(TestJws.json(kidHeader(alg, "acct", "n1", URL)));
        return parse(TestJws.signParts(key, alg, protectedPart, b64(payload)));
    }

    private static byte[] prefixZero(byte[] bytes) {
        byte[] longer = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, longer, 1, bytes.length);
        return longer;
    }

    private static FlattenedJws parse(String body) {
        return FlattenedJws.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertDoesNotVerify(FlattenedJws jws, ProblemType type, String detailFragment) {
        assertDoesNotVerify(jws, jws.jwk(), type, detailFragment);
    }

    private static void assertDoesNotVerify(FlattenedJws jws, Jwk key, ProblemType type, String detailFragment) {
        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, () -> JwsVerifier.verify(jws, key));
        assertThat(problem).as("verification must fail").isNotNull();
        assertThat(problem.type()).isEqualTo(type);
        assertThat(problem.detail()).contains(detailFragment);
    }
}
