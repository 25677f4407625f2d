package dev.certplane.acme.protocol;

import static dev.certplane.acme.protocol.TestJws.b64;
import static dev.certplane.acme.protocol.TestJws.externalAccountBinding;
import static dev.certplane.acme.protocol.TestJws.json;
import static dev.certplane.acme.protocol.TestJws.jwk;
import static dev.certplane.acme.protocol.TestJws.keyPair;
import static dev.certplane.acme.protocol.TestJws.macedBinding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** External account binding (RFC 8555 7.3.4): structure, algorithm, url, bound key and MAC. */
class ExternalAccountBindingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String URL = "https://acme.test/acme/edge/new-account";
    private static final byte[] HMAC = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final KeyPair account = keyPair("ES256");
    private final Jwk accountKey = Jwk.parse(jwk(account.getPublic()));

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512"})
    void aCorrectBindingVerifiesWithEveryMacAlgorithm(String alg) {
        ExternalAccountBinding binding = parse(externalAccountBinding(alg, "cpt_kid", URL, HMAC, account.getPublic()));

        assertThat(binding.keyId()).isEqualTo("cpt_kid");
        assertThat(binding.algorithm()).isEqualTo(alg);
        assertThatCode(() -> binding.verify(HMAC, URL, accountKey)).doesNotThrowAnyException();
    }

    @Test
    void aWrongHmacKeyIsUnauthorized() {
        ExternalAccountBinding binding = parse(externalAccountBinding("HS256", "cpt_kid", URL, HMAC, account.getPublic()));
        byte[] other = HMAC.clone();
        other[0] ^= 1;

        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, () -> binding.verify(other, URL, accountKey));
        assertThat(problem.type()).isEqualTo(ProblemType.UNAUTHORIZED);
        assertThat(problem.detail()).contains("MAC does not verify").contains("cpt_kid");
    }

    @Test
    void anyChangedMacBitIsRefused() {
        Map<String, Object> good = externalAccountBinding("HS256", "cpt_kid", URL, HMAC, account.getPublic());
        byte[] mac = java.util.Base64.getUrlDecoder().decode((String) good.get("signature"));
        qt().withExamples(64).forAll(integers().between(0, mac.length * 8 - 1)).checkAssert(bit -> {
            byte[] flipped = mac.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Map<String, Object> tampered = new LinkedHashMap<>(good);
            tampered.put("signature", b64(flipped));
            AcmeProblem problem = catchThrowableOfType(AcmeProblem.class,
                    () -> parse(tampered).verify(HMAC, URL, accountKey));
            assertThat(problem.type()).isEqualTo(ProblemType.UNAUTHORIZED);
        });
    }

    @Test
    void theUrlMustBeTheNewAccountUrl() {
        ExternalAccountBinding binding = parse(externalAccountBinding("HS256", "cpt_kid",
                "https://acme.test/acme/other/new-account", HMAC, account.getPublic()));

        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, () -> binding.verify(HMAC, URL, accountKey));
        assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED);
        assertThat(problem.detail()).contains("must be the newAccount URL " + URL);
    }

    @Test
    void thePayloadMustBeTheOuterAccountKey() {
        KeyPair other = TestJws.newKeyPair("ES256");
        ExternalAccountBinding binding = parse(externalAccountBinding("HS256", "cpt_kid", URL, HMAC, other.getPublic()));

        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, () -> binding.verify(HMAC, URL, accountKey));
        assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED);
        assertThat(problem.detail()).contains("must be the account key from the outer JWS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "RS256", "ES256", "HS1", "hs256", ""})
    void nonMacAlgorithmsAreRefusedBeforeAnyKeyIsLookedUp(String alg) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("kid", "cpt_kid");
        header.put("url", URL);
        Map<String, Object> binding = macedBinding("HS256", json(header), json(jwk(account.getPublic())), HMAC);

        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, () -> parse(binding));
        assertThat(problem.type()).isIn(ProblemType.BAD_SIGNATURE_ALGORITHM, ProblemType.MALFORMED);
        assertThat(problem.detail()).containsAnyOf("HS256, HS384 or HS512", "non-empty string \"alg\"");
    }

    @Test
    void aNonceInTheBindingHeaderIsRefused() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "HS256");
        header.put("kid", "cpt_kid");
        header.put("url", URL);
        header.put("nonce", "abc");
        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class,
                () -> parse(macedBinding("HS256", json(header), json(jwk(account.getPublic())), HMAC)));
        assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED);
        assertThat(problem.detail()).contains("\"nonce\"");
    }

    @Test
    void missingKidAndNonObjectPayloadAreMalformed() {
        AcmeProblem noKid = catchThrowableOfType(AcmeProblem.class, () -> parse(macedBinding("HS256",
                "{\"alg\":\"HS256\",\"url\":\"" + URL + "\"}", json(jwk(account.getPublic())), HMAC)));
        assertThat(noKid.detail()).contains("\"kid\"");

        AcmeProblem stringPayload = catchThrowableOfType(AcmeProblem.class, () -> parse(macedBinding("HS256",
                "{\"alg\":\"HS256\",\"kid\":\"k\",\"url\":\"" + URL + "\"}", "\"key\"", HMAC)));
        assertThat(stringPayload.type()).isEqualTo(ProblemType.MALFORMED);
        assertThat(stringPayload.detail()).contains("payload");

        AcmeProblem privateKey = catchThrowableOfType(AcmeProblem.class, () -> parse(macedBinding("HS256",
                "{\"alg\":\"HS256\",\"kid\":\"k\",\"url\":\"" + URL + "\"}",
                "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}", HMAC)));
        assertThat(privateKey.type()).isIn(ProblemType.BAD_PUBLIC_KEY, ProblemType.MALFORMED);
    }

    @Test
    void aBindingThatIsNotAnObjectOrHasExtraMembersIsMalformed() {
        assertThat(catchThrowableOfType(AcmeProblem.class, () -> ExternalAccountBinding.parse(
                JSON.readTree("\"eab\""))).detail()).contains("must be a JWS object");
        Map<String, Object> extra = new LinkedHashMap<>(externalAccountBinding("HS256", "k", URL, HMAC,
                account.getPublic()));
        extra.put("header", Map.of());
        assertThat(catchThrowableOfType(AcmeProblem.class, () -> parse(extra)).detail())
                .contains("unexpected member \"header\"");
    }

    private static ExternalAccountBinding parse(Map<String, Object> binding) {
        JsonNode node = JSON.readTree(json(binding));
        return ExternalAccountBinding.parse(node);
    }
}
