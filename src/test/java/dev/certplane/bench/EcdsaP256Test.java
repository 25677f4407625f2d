package dev.certplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/** The load client's ES256 signer and CSRs, checked against the JDK's verifier and BouncyCastle's multiplier. */
class EcdsaP256Test {

    private final SecureRandom random = new SecureRandom();
    private final EcdsaP256 ecdsa = new EcdsaP256(random);

    @Test
    void tableMultiplicationMatchesBouncyCastles() {
        ECPoint g = EcdsaP256.DOMAIN.getG();
        BigInteger n = EcdsaP256.DOMAIN.getN();
        FixedPointCombMultiplier comb = new FixedPointCombMultiplier();
        List<BigInteger> ks = new java.util.ArrayList<>(List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(255),
                BigInteger.valueOf(256), BigInteger.valueOf(257), BigInteger.ONE.shiftLeft(248),
                BigInteger.ONE.shiftLeft(255), n.subtract(BigInteger.ONE), n.subtract(BigInteger.TWO),
                new BigInteger("ff00ff00000000000000000000000000000000000000000000000000000000ff", 16)));
        for (int i = 0; i < 200; i++) {
            ks.add(new BigInteger(256, random).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE));
        }
        for (BigInteger k : ks) {
            assertThat(EcdsaP256.BaseTable.MULTIPLIER.multiply(g, k).normalize())
                    .as("k = %s", k.toString(16)).isEqualTo(comb.multiply(g, k).normalize());
        }
        ECPoint other = g.twice().normalize();
        assertThat(EcdsaP256.BaseTable.MULTIPLIER.multiply(other, BigInteger.TEN).normalize())
                .isEqualTo(comb.multiply(other, BigInteger.TEN).normalize());
    }

    @Test
    void joseAndDerSignaturesVerifyWithTheJdk() throws Exception {
        for (int i = 0; i < 20; i++) {
            EcdsaP256.Key key = ecdsa.generateKey();
            PublicKey pub = KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(key.subjectPublicKeyInfo().getEncoded()));
            byte[] data = ("message " + i).getBytes();

            byte[] jose = ecdsa.signJose(key, data);
            assertThat(jose).hasSize(64);
            Signature p1363 = Signature.getInstance("SHA256withECDSAinP1363Format");
            p1363.initVerify(pub);
            p1363.update(data);
            assertThat(p1363.verify(jose)).isTrue();

            Signature der = Signature.getInstance("SHA256withECDSA");
            der.initVerify(pub);
            der.update(data);
            assertThat(der.verify(ecdsa.signDer(key, data))).isTrue();
            der.initVerify(pub);
            der.update("another message".getBytes());
            assertThat(der.verify(ecdsa.signDer(key, data))).isFalse();
        }
    }

    @Test
    void jwkCoordinatesAreTheFixedLengthPublicPoint() throws Exception {
        EcdsaP256.Key key = ecdsa.generateKey();
        java.security.interfaces.ECPublicKey pub = (java.security.interfaces.ECPublicKey) KeyFactory.getInstance("EC")
                .generatePublic(new X509EncodedKeySpec(key.subjectPublicKeyInfo().getEncoded()));
        assertThat(key.x()).hasSize(32);
        assertThat(key.y()).hasSize(32);
        assertThat(new BigInteger(1, key.x())).isEqualTo(pub.getW().getAffineX());
        assertThat(new BigInteger(1, key.y())).isEqualTo(pub.getW().getAffineY());
    }

    @Test
    void csrIsSignedAndCarriesTheNames() throws Exception {
        EcdsaP256.Key key = ecdsa.generateKey();
        byte[] der = AcmeLoadClient.csr(ecdsa, key, key.subjectPublicKeyInfo(), List.of("a.bench.internal", "b.x"));
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der);
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(new BouncyCastleProvider())
                .build(csr.getSubjectPublicKeyInfo()))).isTrue();
        assertThat(csr.getSubject()).isEqualTo(new X500Name("CN=a.bench.internal"));
        assertThat(csr.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.10045.4.3.2");
        assertThat(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)).hasSize(1);
        GeneralNames sans = GeneralNames.fromExtensions(csr.getRequestedExtensions(), Extension.subjectAlternativeName);
        assertThat(sans.getNames()).containsExactly(new GeneralName(GeneralName.dNSName, "a.bench.internal"),
                new GeneralName(GeneralName.dNSName, "b.x"));
    }

    @Test
    void jsonStrings() {
        assertThat(AcmeLoadClient.jsonString(new StringBuilder(), "a\"b\\c\n\u0001é").toString())
                .isEqualTo("\"a\\\"b\\\\c\\u000a\\u0001é\"");
    }
}
