package dev.certplane.acme.protocol;

import static dev.certplane.acme.protocol.TestJws.b64;
import static dev.certplane.acme.protocol.TestJws.keyPair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.certplane.pki.Providers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JWK parsing (RFC 7517, RFC 7518 6, RFC 8037), the accepted key types and RFC 7638 thumbprints. */
class JwkTest {

    private static final List<String> ALGORITHMS = List.of("RS256", "ES256", "ES384", "ES512", "EdDSA");

    /** RFC 7638 3.1: the example RSA key (with its non-thumbprint members alg and kid) and its thumbprint. */
    private static final Map<String, Object> RFC_7638_KEY = Map.of(
            "kty", "RSA",
            "n", "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3"
                    + "oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0"
                    + "zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF4"
                    + "4-csFCur-kEgU8awapJzKnqDKgw",
            "e", "AQAB",
            "alg", "RS256",
            "kid", "2011-04-29");
    private static final String RFC_7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    @Test
    void theThumbprintIsTheOneOfRfc7638Section31() {
        Jwk jwk = Jwk.parse(RFC_7638_KEY);

        assertThat(jwk.thumbprint()).isEqualTo(RFC_7638_THUMBPRINT);
        assertThat(((RSAPublicKey) jwk.publicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(jwk.curve()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "ES384", "ES512", "EdDSA"})
    void aKeyIsItsOwnSameKeyAndNoOtherKeyIs(String alg) {
        KeyPair key = keyPair(alg);
        Jwk jwk = Jwk.parse(TestJws.jwk(key.getPublic()));

        assertThat(jwk.thumbprint()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(jwk.sameKey(key.getPublic())).isTrue();
        assertThat(jwk.sameKey(TestJws.newKeyPair(alg).getPublic())).isFalse();
        for (String other : ALGORITHMS) {
            if (!other.equals(alg)) {
                assertThat(jwk.sameKey(keyPair(other).getPublic())).as(other).isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "ES384", "ES512", "EdDSA"})
    void theStoredJsonParsesBackToTheSameKey(String alg) {
        KeyPair key = keyPair(alg);
        Jwk jwk = Jwk.parse(TestJws.jwk(key.getPublic()));

        Jwk stored = Jwk.fromJson(jwk.json());

        assertThat(stored.thumbprint()).isEqualTo(jwk.thumbprint());
        assertThat(stored.publicKey().getEncoded()).isEqualTo(key.getPublic().getEncoded());
        assertThat(stored.curve()).isEqualTo(jwk.curve());
        assertThat(stored.json()).isEqualTo(jwk.json()).doesNotContain("\"d\"");
    }

    @Test
    void curvesAreNamedForTheAlgorithmCheck() {
        assertThat(Jwk.parse(TestJws.jwk(keyPair("ES256").getPublic())).curve()).isEqualTo("P-256");
        assertThat(Jwk.parse(TestJws.jwk(keyPair("ES384").getPublic())).curve()).isEqualTo("P-384");
        assertThat(Jwk.parse(TestJws.jwk(keyPair("ES512").getPublic())).curve()).isEqualTo("P-521");
        assertThat(Jwk.parse(TestJws.jwk(keyPair("EdDSA").getPublic())).curve()).isEqualTo("Ed25519");
    }

    @Test
    void oneKeyHasOneThumbprintHoweverItsMembersAreSpelled() {
        KeyPair ec = keyPair("ES256");
        Map<String, Object> canonical = TestJws.jwk(ec.getPublic());
        String thumbprint = Jwk.parse(canonical).thumbprint();

        Map<String, Object> padded = new LinkedHashMap<>(canonical);
        padded.put("x", b64(prefixZero(decode(canonical.get("x")))));
        Map<String, Object> strayBits = new LinkedHashMap<>(canonical);
        strayBits.put("y", withStrayTrailingBits((String) canonical.get("y")));
        Map<String, Object> extraMembers = new LinkedHashMap<>(canonical);
        extraMembers.put("kid", "client-key-1");
        extraMembers.put("use", "sig");
        for (Map<String, Object> spelling : List.of(padded, strayBits, extraMembers)) {
            Jwk jwk = Jwk.parse(spelling);
            assertThat(jwk.thumbprint()).as(spelling.toString()).isEqualTo(thumbprint);
            assertThat(jwk.sameKey(ec.getPublic())).isTrue();
        }

        Map<String, Object> rsa = new LinkedHashMap<>(RFC_7638_KEY);
        rsa.put("n", b64(prefixZero(decode(RFC_7638_KEY.get("n")))));
        rsa.put("e", "AAEAAQ");
        assertThat(Jwk.parse(rsa).thumbprint()).isEqualTo(RFC_7638_THUMBPRINT);
    }

    @Test
    void aShortEcCoordinateIsTheSameKeyToo() {
        // A coordinate with a leading zero octet, sent without it: about one key in 256, so search for one.
        KeyPair key;
        byte[] x;
        do {
            key = TestJws.newKeyPair("ES256");
            x = decode(TestJws.jwk(key.getPublic()).get("x"));
        } while (x[0] != 0);
        Map<String, Object> shortened = TestJws.jwk(key.getPublic());
        shortened.put("x", b64(Arrays.copyOfRange(x, 1, x.length)));

        Jwk jwk = Jwk.parse(shortened);

        assertThat(jwk.thumbprint()).isEqualTo(Jwk.parse(TestJws.jwk(key.getPublic())).thumbprint());
        assertThat(jwk.sameKey(key.getPublic())).isTrue();
    }

    @Test
    void privateKeyMaterialIsABadPublicKey() {
        Map<String, Object> ec = TestJws.jwk(keyPair("ES256").getPublic());
        ec.put("d", b64(((ECPrivateKey) keyPair("ES256").getPrivate()).getS().toByteArray()));
        Map<String, Object> okp = TestJws.jwk(keyPair("EdDSA").getPublic());
        okp.put("d", b64(new byte[32]));

        for (Map<String, Object> members : List.of(ec, okp)) {
            assertProblem(members, ProblemType.BAD_PUBLIC_KEY, "private key material");
        }
    }

    @Test
    void rsaModulusAndExponentLimits() {
        assertProblem(rsa(BigInteger.ONE.shiftLeft(2046).setBit(0), "AQAB"), ProblemType.BAD_PUBLIC_KEY, "this one has 2047");
        assertProblem(rsa(BigInteger.ONE.shiftLeft(8192).setBit(0), "AQAB"), ProblemType.BAD_PUBLIC_KEY, "this one has 8193");
        assertProblem(rsa(BigInteger.ONE.shiftLeft(2047).setBit(0), b64(BigInteger.valueOf(65536).toByteArray())),
                ProblemType.BAD_PUBLIC_KEY, "odd number above 1");
        assertProblem(rsa(BigInteger.ONE.shiftLeft(2047).setBit(0), "AQ"), ProblemType.BAD_PUBLIC_KEY, "exponent");
        // The largest modulus accepted, as a real product of two primes (BouncyCastle refuses moduli with small factors).
        var random = new java.util.Random(8192);
        BigInteger modulus = BigInteger.probablePrime(4096, random).multiply(BigInteger.probablePrime(4096, random));
        assertThat(Jwk.parse(rsa(modulus, "Aw")).publicKey())
                .isInstanceOf(RSAPublicKey.class);
        assertProblem(rsa(BigInteger.ONE.shiftLeft(4095).setBit(0), "AQAB"), ProblemType.BAD_PUBLIC_KEY, "small prime factor");
    }

    @Test
    void anEcPointOffTheCurveIsRefused() {
        Map<String, Object> members = TestJws.jwk(keyPair("ES384").getPublic());
        members.put("y", members.get("x"));

        AcmeProblem problem = problem(members);

        assertThat(problem.type()).isIn(ProblemType.BAD_PUBLIC_KEY, ProblemType.MALFORMED);
        assertThat(problem.detail()).contains("curve");
    }

    @Test
    void otherCurvesAreABadPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BC);
        generator.initialize(new ECGenParameterSpec("secp256k1"), Providers.RANDOM);
        Map<String, Object> secp256k1 = TestJws.jwk(generator.generateKeyPair().getPublic());
        assertThat(secp256k1).containsEntry("crv", "secp256k1");
        assertProblem(secp256k1, ProblemType.BAD_PUBLIC_KEY, "P-256, P-384 or P-521");

        assertProblem(Map.of("kty", "OKP", "crv", "X25519", "x", b64(new byte[32])), ProblemType.BAD_PUBLIC_KEY, "must be Ed25519");
        assertProblem(Map.of("kty", "OKP", "crv", "Ed448", "x", b64(new byte[57])), ProblemType.BAD_PUBLIC_KEY, "must be Ed25519");
    }

    @Test
    void aBadEd25519KeyIsABadPublicKey() {
        assertProblem(Map.of("kty", "OKP", "crv", "Ed25519", "x", b64(new byte[31])), ProblemType.BAD_PUBLIC_KEY, "this one has 31");
        assertProblem(Map.of("kty", "OKP", "crv", "Ed25519", "x", b64(new byte[33])), ProblemType.BAD_PUBLIC_KEY, "this one has 33");
        byte[] notAPoint = new byte[32];
        notAPoint[0] = 2; // y = 2 has no x on edwards25519
        assertProblem(Map.of("kty", "OKP", "crv", "Ed25519", "x", b64(notAPoint)), ProblemType.BAD_PUBLIC_KEY, "Ed25519");
        byte[] nonCanonical = new byte[32];
        Arrays.fill(nonCanonical, (byte) 0xff); // y >= p
        assertProblem(Map.of("kty", "OKP", "crv", "Ed25519", "x", b64(nonCanonical)), ProblemType.BAD_PUBLIC_KEY, "Ed25519");
    }

    @Test
    void aSymmetricKeyIsABadPublicKey() {
        assertThat(problem(Map.of("kty", "oct", "k", b64("secret"))).type()).isEqualTo(ProblemType.BAD_PUBLIC_KEY);
    }

    @Test
    void somethingThatIsNotAJwkIsMalformed() {
        List<Map<String, Object>> notJwks = List.of(
                Map.of(),
                Map.of("kty", "XYZ"),
                Map.of("kty", 1),
                Map.of("n", "AQAB", "e", "AQAB"),
                Map.of("kty", "EC", "crv", "P-256", "x", b64(new byte[32])),
                Map.of("kty", "EC", "crv", "P-999", "x", b64(new byte[32]), "y", b64(new byte[32])),
                Map.of("kty", "RSA", "e", "AQAB"),
                Map.of("kty", "OKP", "crv", "Ed25519"),
                Map.of("kty", "RSA", "n", List.of("AQAB"), "e", "AQAB"));
        for (Map<String, Object> members : notJwks) {
            assertThat(problem(members).type()).as(members.toString()).isEqualTo(ProblemType.MALFORMED);
        }
    }

    @Test
    void aJsonValueThatIsNotAnObjectIsMalformed() {
        for (String json : List.of("\"jwk\"", "[]", "1", "null")) {
            AcmeProblem problem = catchThrowableOfType(AcmeProblem.class,
                    () -> Jwk.parse(FlattenedJws.JSON.readTree(json)));
            assertThat(problem).as(json).isNotNull();
            assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED);
        }
    }

    @Test
    void sameKeyIsFalseRatherThanAnErrorForKeysThatAreNotAccountKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BC);
        generator.initialize(new ECGenParameterSpec("secp256k1"), Providers.RANDOM);

        assertThat(Jwk.parse(TestJws.jwk(keyPair("ES256").getPublic())).sameKey(generator.generateKeyPair().getPublic())).isFalse();
    }

    private static Map<String, Object> rsa(BigInteger modulus, String exponent) {
        return Map.of("kty", "RSA", "n", b64(unsigned(modulus)), "e", exponent);
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static byte[] decode(Object base64url) {
        return Base64.getUrlDecoder().decode((String) base64url);
    }

    private static byte[] prefixZero(byte[] bytes) {
        byte[] longer = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, longer, 1, bytes.length);
        return longer;
    }

    /** The same octets with the unused low bits of the last character set (43 characters for 32 octets). */
    private static String withStrayTrailingBits(String text) {
        assertThat(text.length() % 4).isEqualTo(3);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(text.charAt(text.length() - 1));
        return text.substring(0, text.length() - 1) + alphabet.charAt(last | 0b11);
    }

    private static AcmeProblem problem(Map<String, Object> members) {
        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, () -> Jwk.parse(members));
        assertThat(problem).as("a problem for %s", members).isNotNull();
        return problem;
    }

    private static void assertProblem(Map<String, Object> members, ProblemType type, String detailFragment) {
        AcmeProblem problem = problem(members);
        assertThat(problem.type()).as(problem.detail()).isEqualTo(type);
        assertThat(problem.detail()).contains(detailFragment);
    }
}
