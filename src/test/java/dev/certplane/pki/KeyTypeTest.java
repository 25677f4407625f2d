package dev.certplane.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class KeyTypeTest {

    @ParameterizedTest
    @CsvSource({
        "ec-p256, EC_P256", "EC-P384, EC_P384", "rsa-2048, RSA_2048", "Rsa-3072, RSA_3072", "rsa-4096, RSA_4096",
        "EC_P256, EC_P256", "rsa_4096, RSA_4096", "'  ec-p384 ', EC_P384"
    })
    void parsesConfigAndConstantNamesInAnyCase(String name, KeyType expected) {
        assertThat(KeyType.parse(name)).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void configNameAndConstantNameRoundTrip(KeyType type) {
        assertThat(KeyType.parse(type.configName())).isSameAs(type);
        assertThat(KeyType.parse(type.name())).isSameAs(type);
        assertThat(type.configName()).matches("(ec-p|rsa-)[0-9]+");
    }

    @Test
    void unknownNameListsTheAcceptedValues() {
        assertThatThrownBy(() -> KeyType.parse("dsa-1024"))
                .isInstanceOf(PkiException.class)
                .hasMessage("unknown key type \"dsa-1024\"; expected one of ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096");
        assertThatThrownBy(() -> KeyType.parse("")).isInstanceOf(PkiException.class).hasMessageContaining("unknown key type \"\"");
        assertThatThrownBy(() -> KeyType.parse("ec-p521")).isInstanceOf(PkiException.class);
    }

    @Test
    void signatureAlgorithmMatchesHashToKeyStrength() {
        assertThat(KeyType.EC_P256.signatureAlgorithm()).isEqualTo("SHA256withECDSA");
        assertThat(KeyType.EC_P384.signatureAlgorithm()).isEqualTo("SHA384withECDSA");
        assertThat(KeyType.RSA_2048.signatureAlgorithm()).isEqualTo("SHA256withRSA");
        assertThat(KeyType.RSA_3072.signatureAlgorithm()).isEqualTo("SHA256withRSA");
        assertThat(KeyType.RSA_4096.signatureAlgorithm()).isEqualTo("SHA256withRSA");
    }

    @Test
    void generatedEcKeysAreDetectedAsTheirType() {
        KeyPair p256 = KeyType.EC_P256.generate();
        KeyPair p384 = KeyType.EC_P384.generate();
        assertThat(KeyType.of(p256.getPublic())).isEqualTo(KeyType.EC_P256);
        assertThat(KeyType.of(p384.getPublic())).isEqualTo(KeyType.EC_P384);
        assertThat(((ECPublicKey) p256.getPublic()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(((ECPublicKey) p384.getPublic()).getParams().getCurve().getField().getFieldSize()).isEqualTo(384);
        assertThat(p256.getPublic()).isNotEqualTo(KeyType.EC_P256.generate().getPublic());
    }

    @Test
    void generatedRsaKeyIsDetectedAsItsType() {
        KeyPair rsa = KeyType.RSA_2048.generate();
        assertThat(((RSAPublicKey) rsa.getPublic()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(((RSAPublicKey) rsa.getPublic()).getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
        assertThat(KeyType.of(rsa.getPublic())).isEqualTo(KeyType.RSA_2048);
    }

    @Test
    void rsaSizesAreDetectedFromTheModulus() throws Exception {
        // Generating 3072- and 4096-bit keys takes seconds; of() only looks at the modulus length.
        assertThat(KeyType.of(rsaKeyWithModulusBits(3072))).isEqualTo(KeyType.RSA_3072);
        assertThat(KeyType.of(rsaKeyWithModulusBits(4096))).isEqualTo(KeyType.RSA_4096);
        assertThatThrownBy(() -> KeyType.of(rsaKeyWithModulusBits(1024)))
                .isInstanceOf(PkiException.class)
                .hasMessage("RSA key has a 1024-bit modulus; supported sizes are 2048, 3072 and 4096");
    }

    @Test
    void unsupportedCurveIsRefusedWithItsOid() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        generator.initialize(new ECGenParameterSpec("secp256k1"));
        PublicKey k1 = generator.generateKeyPair().getPublic();
        assertThatThrownBy(() -> KeyType.of(k1))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("EC key is on curve 1.3.132.0.10; supported curves are P-256");
    }

    @Test
    void bouncyCastleKeysAreDetectedToo() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        generator.initialize(new ECGenParameterSpec("P-384"));
        assertThat(KeyType.of(generator.generateKeyPair().getPublic())).isEqualTo(KeyType.EC_P384);
    }

    @Test
    void otherAlgorithmsAreRefused() throws Exception {
        PublicKey ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        assertThatThrownBy(() -> KeyType.of(ed25519))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("unsupported public key algorithm")
                .hasMessageEndingWith("expected RSA or EC");
    }

    private static PublicKey rsaKeyWithModulusBits(int bits) throws Exception {
        BigInteger modulus = BigInteger.ONE.shiftLeft(bits - 1).add(BigInteger.valueOf(1234567));
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, BigInteger.valueOf(65537)));
    }
}
