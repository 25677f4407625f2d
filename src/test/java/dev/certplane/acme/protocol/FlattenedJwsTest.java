package dev.certplane.acme.protocol;

import static dev.certplane.acme.protocol.TestJws.b64;
import static dev.certplane.acme.protocol.TestJws.body;
import static dev.certplane.acme.protocol.TestJws.jwkHeader;
import static dev.certplane.acme.protocol.TestJws.keyPair;
import static dev.certplane.acme.protocol.TestJws.kidHeader;
import static dev.certplane.acme.protocol.TestJws.members;
import static dev.certplane.acme.protocol.TestJws.sign;
import static dev.certplane.acme.protocol.TestJws.signParts;
import static dev.certplane.acme.protocol.TestJws.signRawHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.certplane.pki.Providers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The flattened JWS parser (RFC 7515 7.2.2 as restricted by RFC 8555 6.2) against good and hostile bodies. */
class FlattenedJwsTest {

    private static final String URL = "https://acme.test/acme/default/new-account";
    private static final String NONCE = "bm9uY2UtMQ";
    private static final String PAYLOAD = "{\"termsOfServiceAgreed\":true,\"contact\":[\"mailto:a@example.com\"]}";
    private static final KeyPair ES256 = keyPair("ES256");

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "ES384", "ES512", "EdDSA"})
    void parsesARequestCarryingItsKey(String alg) {
        KeyPair key = keyPair(alg);

        FlattenedJws jws = parse(sign(key, alg, jwkHeader(alg, key.getPublic(), NONCE, URL), PAYLOAD));

        assertThat(jws.algorithm()).isEqualTo(alg);
        assertThat(jws.jwk()).isNotNull();
        assertThat(jws.jwk().sameKey(key.getPublic())).isTrue();
        assertThat(jws.kid()).isNull();
        assertThat(jws.nonce()).isEqualTo(NONCE);
        assertThat(jws.url()).isEqualTo(URL);
        assertThat(new String(jws.payload(), StandardCharsets.UTF_8)).isEqualTo(PAYLOAD);
        assertThat(jws.isPostAsGet()).isFalse();
        assertThat(jws.payloadObject().get("termsOfServiceAgreed").asBoolean()).isTrue();
        assertThat(jws.signature()).isNotEmpty();
    }

    @Test
    void parsesARequestNamingItsAccount() {
        String kid = "https://acme.test/acme/default/account/a1";

        FlattenedJws jws = parse(sign(ES256, "ES256", kidHeader("ES256", kid, NONCE, URL), PAYLOAD));

        assertThat(jws.kid()).isEqualTo(kid);
        assertThat(jws.jwk()).isNull();
    }

    @Test
    void keepsThePartsAsSentForTheSigningInput() {
        String body = sign(ES256, "ES256", kidHeader("ES256", "k", NONCE, URL), PAYLOAD);
        Map<String, Object> members = members(body);

        FlattenedJws jws = parse(body);

        assertThat(jws.protectedPart()).isEqualTo(members.get("protected"));
        assertThat(jws.payloadPart()).isEqualTo(members.get("payload"));
        assertThat(new String(jws.signingInput(), StandardCharsets.US_ASCII))
                .isEqualTo(members.get("protected") + "." + members.get("payload"));
        assertThat(b64(jws.signature())).isEqualTo(members.get("signature"));
    }

    @Test
    void leavesTheNonceToTheCallerBecauseTheInnerKeyChangeJwsHasNone() {
        Map<String, Object> header = jwkHeader("ES256", ES256.getPublic(), NONCE, URL);
        header.remove("nonce");

        assertThat(parse(sign(ES256, "ES256", header, PAYLOAD)).nonce()).isNull();
    }

    @Test
    void anEmptyPayloadIsPostAsGetAndHasNoObject() {
        FlattenedJws jws = parse(sign(ES256, "ES256", kidHeader("ES256", "k", NONCE, URL), ""));

        assertThat(jws.isPostAsGet()).isTrue();
        assertThat(jws.payload()).isEmpty();
        assertMalformed(jws::payloadObject, "POST-as-GET");
    }

    @Test
    void anEmptyObjectPayloadIsNotPostAsGet() {
        FlattenedJws jws = parse(sign(ES256, "ES256", kidHeader("ES256", "k", NONCE, URL), "{}"));

        assertThat(jws.isPostAsGet()).isFalse();
        assertThat(jws.payloadObject().isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "42", "null", "{", "{\"a\":1}{}", "{\"a\":1,\"a\":2}", " "})
    void aPayloadThatIsNotOneJsonObjectIsMalformed(String payload) {
        FlattenedJws jws = parse(sign(ES256, "ES256", kidHeader("ES256", "k", NONCE, URL), payload));

        assertMalformed(jws::payloadObject, "the payload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "not json", "[]", "[{}]", "\"protected\"", "null", "42", "{", "{\"protected\":}",
        "{} {}", "{\"protected\":\"a\",\"protected\":\"b\",\"payload\":\"\",\"signature\":\"\"}"})
    void aBodyThatIsNotOneJsonObjectIsMalformed(String body) {
        assertMalformed(body, "the request body");
    }

    @Test
    void theGeneralSerializationIsRefused() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("payload", b64(PAYLOAD));
        members.put("signatures", List.of(Map.of("protected", "e30", "signature", "AAAA")));

        assertMalformed(body(members), "general JSON serialization");
    }

    @Test
    void anUnprotectedHeaderIsRefused() {
        Map<String, Object> members = members(sign(ES256, "ES256", kidHeader("ES256", "k", NONCE, URL), PAYLOAD));
        members.put("header", Map.of("kid", "other"));

        assertMalformed(body(members), "unprotected header");
    }

    @Test
    void anExtraMemberIsRefusedByName() {
        Map<String, Object> members = members(sign(ES256, "ES256", kidHeader("ES256", "k", NONCE, URL), PAYLOAD));
        members.put("extra", "x");

        assertMalformed(body(members), "unexpected member \"extra\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"protected", "payload", "signature"})
    void aMissingOrNullMemberIsNamed(String member) {
        Map<String, Object> members = members(sign(ES256, "ES256", kidHeader("ES256", "k", NONCE, URL), PAYLOAD));
        members.remove(member);
        assertMalformed(body(members), "the JWS has no \"" + member + "\"");

        members.put(member, null);
        assertMalformed(body(members), "the JWS has no \"" + member + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"protected", "payload", "signature"})
    void aMemberThatIsNotAStringIsNamed(String member) {
        for (Object value : List.of(1, true, List.of("e30"), Map.of("alg", "ES256"))) {
            Map<String, Object> members = members(sign(ES256, "ES256", kidHeader("ES256", "k", NONCE, URL), PAYLOAD));
            members.put(member, value);

            assertMalformed(body(members), "\"" + member + "\" in the JWS must be a string");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"protected", "payload", "signature"})
    void aMemberThatIsNotUnpaddedBase64UrlIsNamed(String member) {
        Map<String, Object> good = members(sign(ES256, "ES256", kidHeader("ES256", "k", NONCE, URL), "{\"a\":\"b\"}"));
        String text = (String) good.get(member);
        List<String> bad = new ArrayList<>(List.of(text + "=", text + "==", "+" + text, text.replace(text.charAt(1), '/'),
                text + " ", text + "\n", "." + text, text + "%3D", text + "\u00e9"));
        bad.add(text + "AAAA".substring(0, ((1 - text.length()) % 4 + 4) % 4)); // length % 4 == 1: no such encoding
        for (String value : bad) {
            Map<String, Object> members = new LinkedHashMap<>(good);
            members.put(member, value);

            String name = member.equals("protected") ? "protected header" : member;
            assertMalformed(body(members), "the " + name + " is not unpadded base64url");
        }
    }

    @Test
    void aProtectedHeaderThatIsNotAJsonObjectIsMalformed() {
        assertMalformed(signRawHeader(ES256, "ES256", "alg=ES256", PAYLOAD), "the protected header is not valid JSON");
        assertMalformed(signRawHeader(ES256, "ES256", "{\"alg\":\"ES256\"", PAYLOAD), "the protected header is not valid JSON");
        assertMalformed(signRawHeader(ES256, "ES256", "[\"ES256\"]", PAYLOAD), "the protected header must be a JSON object");
        assertMalformed(signRawHeader(ES256, "ES256", "\"ES256\"", PAYLOAD), "the protected header must be a JSON object");
        assertMalformed(signParts(ES256, "ES256", "", b64(PAYLOAD)), "the protected header must be a JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"alg\":\"ES256\",\"kid\":\"k\",\"nonce\":\"n\",\"url\":\"https://a.test/1\",\"url\":\"https://a.test/2\"}",
        "{\"alg\":\"ES256\",\"alg\":\"ES256\",\"kid\":\"k\",\"nonce\":\"n\",\"url\":\"https://a.test/1\"}",
        "{\"alg\":\"ES256\",\"kid\":\"k\",\"kid\":\"j\",\"nonce\":\"n\",\"url\":\"https://a.test/1\"}",
        "{\"alg\":\"ES256\",\"kid\":\"k\",\"nonce\":\"n\",\"nonce\":\"m\",\"url\":\"https://a.test/1\"}"})
    void duplicateMembersInTheProtectedHeaderAreRefused(String header) {
        // Two parsers could otherwise each pick a different "url" (or nonce, or key) from one signed header.
        AcmeProblem problem = problem(signRawHeader(ES256, "ES256", header, PAYLOAD));

        assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED);
        assertThat(problem.detail()).startsWith("the protected header is not valid JSON").containsIgnoringCase("duplicate");
    }

    @Test
    void aDuplicateMemberInsideTheJwkIsRefused() {
        String jwk = TestJws.json(TestJws.jwk(ES256.getPublic()));
        String header = "{\"alg\":\"ES256\",\"jwk\":" + jwk.replace("{\"kty\":\"EC\",", "{\"kty\":\"EC\",\"kty\":\"RSA\",")
                + ",\"nonce\":\"n\",\"url\":\"https://a.test/1\"}";
        assertThat(header).contains("\"kty\":\"RSA\"");

        assertMalformed(signRawHeader(ES256, "ES256", header, PAYLOAD), "duplicate");
    }

    @Test
    void critIsRefused() {
        Map<String, Object> header = kidHeader("ES256", "k", NONCE, URL);
        header.put("crit", List.of("b64"));
        header.put("b64", false);

        assertMalformed(sign(ES256, "ES256", header, PAYLOAD), "\"crit\"");
    }

    @Test
    void aMissingOrNonStringAlgIsMalformed() {
        assertMalformed(signRawHeader(ES256, "ES256", "{\"kid\":\"k\",\"nonce\":\"n\",\"url\":\"u\"}", PAYLOAD),
                "the protected header has no \"alg\"");
        for (Object alg : List.of(256, List.of("ES256"), Map.of(), true)) {
            Map<String, Object> header = kidHeader("ES256", "k", NONCE, URL);
            header.put("alg", alg);
            assertMalformed(sign(ES256, "ES256", header, PAYLOAD), "\"alg\" in the protected header must be a string");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "HS256", "HS512", "RS384", "RS512", "PS256", "ES256K", "Ed25519", "EDDSA",
        "es256", "ES256 ", "", "RSA-OAEP"})
    void anAlgorithmThatIsNotAcceptedIsABadSignatureAlgorithm(String alg) {
        Map<String, Object> header = kidHeader(alg, "k", NONCE, URL);

        AcmeProblem problem = problem(sign(ES256, "ES256", header, PAYLOAD));

        assertThat(problem.type()).isEqualTo(ProblemType.BAD_SIGNATURE_ALGORITHM);
        assertThat(problem.detail()).contains("\"" + alg + "\"").contains("RS256", "ES256", "ES384", "ES512", "EdDSA");
    }

    @Test
    void anUnsignedRequestIsABadSignatureAlgorithm() {
        String protectedPart = b64("{\"alg\":\"none\",\"kid\":\"k\",\"nonce\":\"n\",\"url\":\"u\"}");

        assertThat(problem(body(protectedPart, b64(PAYLOAD), "")).type()).isEqualTo(ProblemType.BAD_SIGNATURE_ALGORITHM);
    }

    @Test
    void exactlyOneOfJwkAndKidIsRequired() {
        Map<String, Object> both = jwkHeader("ES256", ES256.getPublic(), NONCE, URL);
        both.put("kid", "https://acme.test/acme/default/account/a1");
        assertMalformed(sign(ES256, "ES256", both, PAYLOAD), "exactly one of \"jwk\" and \"kid\"");

        Map<String, Object> neither = kidHeader("ES256", "k", NONCE, URL);
        neither.remove("kid");
        assertMalformed(sign(ES256, "ES256", neither, PAYLOAD), "exactly one of \"jwk\" and \"kid\"");
    }

    @Test
    void aKidNonceOrUrlThatIsNotAStringIsMalformed() {
        for (String member : List.of("kid", "nonce", "url")) {
            Map<String, Object> header = kidHeader("ES256", "k", NONCE, URL);
            header.put(member, 7);
            assertMalformed(sign(ES256, "ES256", header, PAYLOAD), "\"" + member + "\" in the protected header must be a string");
        }
    }

    @Test
    void aMissingUrlOrNullKidIsMalformed() {
        Map<String, Object> noUrl = kidHeader("ES256", "k", NONCE, URL);
        noUrl.remove("url");
        assertMalformed(sign(ES256, "ES256", noUrl, PAYLOAD), "the protected header has no \"url\"");

        Map<String, Object> nullKid = kidHeader("ES256", "k", NONCE, URL);
        nullKid.put("kid", null);
        assertMalformed(sign(ES256, "ES256", nullKid, PAYLOAD), "the protected header has no \"kid\"");
    }

    @Test
    void aJwkThatIsNotAnObjectIsMalformed() {
        for (Object jwk : List.of("eyJrdHkiOiJFQyJ9", 1, List.of(Map.of("kty", "EC")))) {
            Map<String, Object> header = jwkHeader("ES256", ES256.getPublic(), NONCE, URL);
            header.put("jwk", jwk);
            assertMalformed(sign(ES256, "ES256", header, PAYLOAD), "a JWK must be a JSON object");
        }
        Map<String, Object> nullJwk = jwkHeader("ES256", ES256.getPublic(), NONCE, URL);
        nullJwk.put("jwk", null);
        assertThat(problem(sign(ES256, "ES256", nullJwk, PAYLOAD)).type()).isEqualTo(ProblemType.MALFORMED);
    }

    @Test
    void aJwkWithPrivateMembersIsABadPublicKey() {
        Map<String, Object> header = jwkHeader("ES256", ES256.getPublic(), NONCE, URL);
        Map<String, Object> jwk = new LinkedHashMap<>(TestJws.jwk(ES256.getPublic()));
        jwk.put("d", b64(((ECPrivateKey) ES256.getPrivate()).getS().toByteArray()));
        header.put("jwk", jwk);

        AcmeProblem problem = problem(sign(ES256, "ES256", header, PAYLOAD));

        assertThat(problem.type()).isEqualTo(ProblemType.BAD_PUBLIC_KEY);
        assertThat(problem.detail()).contains("private");
    }

    @Test
    void aShortRsaKeyIsABadPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", Providers.BC);
        generator.initialize(new RSAKeyGenParameterSpec(1024, RSAKeyGenParameterSpec.F4), Providers.RANDOM);
        KeyPair weak = generator.generateKeyPair();
        assertThat(((RSAPublicKey) weak.getPublic()).getModulus().bitLength()).isEqualTo(1024);

        AcmeProblem problem = problem(sign(weak, "RS256", jwkHeader("RS256", weak.getPublic(), NONCE, URL), PAYLOAD));

        assertThat(problem.type()).isEqualTo(ProblemType.BAD_PUBLIC_KEY);
        assertThat(problem.detail()).contains("1024");
    }

    @Test
    void anEcPointOffTheCurveIsRefused() {
        Map<String, Object> jwk = new LinkedHashMap<>(TestJws.jwk(ES256.getPublic()));
        BigInteger y = new BigInteger(1, Base64.getUrlDecoder().decode((String) jwk.get("y")));
        jwk.put("y", b64(toUnsigned(y.add(BigInteger.ONE), 32)));
        Map<String, Object> header = jwkHeader("ES256", ES256.getPublic(), NONCE, URL);
        header.put("jwk", jwk);

        assertThat(problem(sign(ES256, "ES256", header, PAYLOAD)).type())
                .isIn(ProblemType.BAD_PUBLIC_KEY, ProblemType.MALFORMED);
    }

    @Test
    void aSymmetricKeyIsRefused() {
        Map<String, Object> header = kidHeader("ES256", "k", NONCE, URL);
        header.remove("kid");
        header.put("jwk", Map.of("kty", "oct", "k", b64("a shared secret")));

        assertThat(problem(sign(ES256, "ES256", header, PAYLOAD)).type()).isEqualTo(ProblemType.BAD_PUBLIC_KEY);
    }

    @Test
    void parsingDoesNotVerify() {
        String body = sign(ES256, "ES256", kidHeader("ES256", "k", NONCE, URL), PAYLOAD);

        FlattenedJws broken = parse(TestJws.withBrokenSignature(body));

        assertThat(broken.signature()).isNotEqualTo(parse(body).signature());
    }

    @Test
    void arbitraryTextIsParsedOrRefusedAsAnAcmeProblem() {
        qt().withExamples(500).forAll(strings().allPossible().ofLengthBetween(0, 200))
                .checkAssert(text -> expectValueOrProblem(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void stitchedJwsLikeBodiesAreParsedOrRefusedAsAnAcmeProblem() {
        // Random text rarely reaches the header checks; pieces of real bodies and headers do.
        String good = sign(ES256, "ES256", jwkHeader("ES256", ES256.getPublic(), NONCE, URL), PAYLOAD);
        List<String> fragments = List.of("{", "}", "[", "]", ",", ":", "\"", "\"protected\"", "\"payload\"",
                "\"signature\"", "\"header\"", "\"signatures\"", "null", "1", "\"\"", "\"e30\"", "\"AAAA\"", "\"=\"",
                "\"" + b64("{\"alg\":\"ES256\",\"kid\":1}") + "\"",
                "\"" + b64("{\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\"},\"url\":\"u\"}") + "\"",
                "\"" + b64("{\"alg\":\"RS256\",\"jwk\":{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"},\"url\":\"u\"}") + "\"",
                "\"" + b64("{\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"},\"url\":\"u\"}") + "\"",
                good, good.substring(0, good.length() / 2), good.substring(good.length() / 2));
        Gen<String> stitched = lists().of(Generate.pick(fragments)).ofSizeBetween(0, 10).map(parts -> String.join("", parts));
        qt().withExamples(500).forAll(stitched).checkAssert(text -> expectValueOrProblem(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void corruptedBodiesAreParsedOrRefusedAsAnAcmeProblem() {
        byte[] good = sign(ES256, "ES256", jwkHeader("ES256", ES256.getPublic(), NONCE, URL), PAYLOAD)
                .getBytes(StandardCharsets.UTF_8);
        Gen<byte[]> corrupted = integers().between(0, good.length - 1).zip(integers().between(0, 255), (at, value) -> {
            byte[] copy = good.clone();
            copy[at] = (byte) (int) value;
            return copy;
        });
        qt().withExamples(500).forAll(corrupted).checkAssert(FlattenedJwsTest::expectValueOrProblem);
    }

    private static void expectValueOrProblem(byte[] body) {
        try {
            assertThat(FlattenedJws.parse(body).algorithm()).isIn(JwsAlgorithm.names());
        } catch (AcmeProblem e) {
            assertThat(e.detail()).isNotBlank();
        }
    }

    private static byte[] toUnsigned(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    static FlattenedJws parse(String body) {
        return FlattenedJws.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    static AcmeProblem problem(String body) {
        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, () -> parse(body));
        assertThat(problem).as("a problem for %s", body).isNotNull();
        return problem;
    }

    private static void assertMalformed(String body, String detailFragment) {
        AcmeProblem problem = problem(body);
        assertThat(problem.type()).as(problem.detail()).isEqualTo(ProblemType.MALFORMED);
        assertThat(problem.detail()).containsIgnoringCase(detailFragment);
    }

    private static void assertMalformed(Runnable action, String detailFragment) {
        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, action::run);
        assertThat(problem).isNotNull();
        assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED);
        assertThat(problem.detail()).contains(detailFragment);
    }
}
