package dev.certplane.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.jspecify.annotations.Nullable;

/**
 * The key algorithms and sizes Certplane generates and signs with. Each type fixes its signature
 * algorithm: P-384 keys sign with SHA-384 (matching hash strength to curve size, as RFC 5480 4
 * recommends) while every RSA size signs with SHA-256, which is what clients universally support.
 */
public enum KeyType {
    EC_P256("ec-p256", "SHA256withECDSA", 256, SECObjectIdentifiers.secp256r1, "secp256r1"),
    EC_P384("ec-p384", "SHA384withECDSA", 384, SECObjectIdentifiers.secp384r1, "secp384r1"),
    RSA_2048("rsa-2048", "SHA256withRSA", 2048, null, null),
    RSA_3072("rsa-3072", "SHA256withRSA", 3072, null, null),
    RSA_4096("rsa-4096", "SHA256withRSA", 4096, null, null);

    private final String configName;
    private final String signatureAlgorithm;
    private final int bits;
    /** The named curve's OID for EC types, {@code null} for RSA. */
    private final @Nullable ASN1ObjectIdentifier curve;
    private final @Nullable String jcaCurveName;

    KeyType(String configName, String signatureAlgorithm, int bits, @Nullable ASN1ObjectIdentifier curve,
            @Nullable String jcaCurveName) {
        this.configName = configName;
        this.signatureAlgorithm = signatureAlgorithm;
        this.bits = bits;
        this.curve = curve;
        this.jcaCurveName = jcaCurveName;
    }

    /**
     * The type named by {@code name}: a config name such as {@code ec-p256} or a constant name such
     * as {@code EC_P256}, in any case.
     *
     * @throws PkiException naming the accepted values if {@code name} is none of them
     */
    public static KeyType parse(String name) {
        String normalized = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (KeyType type : values()) {
            if (type.configName.equals(normalized)) {
                return type;
            }
        }
        throw new PkiException("unknown key type \"" + name + "\"; expected one of " + acceptedNames());
    }

    /** The type of {@code key}, or a {@link PkiException} if it is not exactly one of ours. */
    public static KeyType of(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int size = rsa.getModulus().bitLength();
            for (KeyType type : values()) {
                if (type.curve == null && type.bits == size) {
                    return type;
                }
            }
            throw new PkiException("RSA key has a " + size + "-bit modulus; supported sizes are 2048, 3072 and 4096");
        }
        if (key instanceof ECPublicKey ec) {
            ASN1ObjectIdentifier oid = namedCurve(ec);
            for (KeyType type : values()) {
                if (oid.equals(type.curve)) {
                    return type;
                }
            }
            throw new PkiException("EC key is on curve " + oid.getId() + "; supported curves are P-256 ("
                    + SECObjectIdentifiers.secp256r1.getId() + ") and P-384 (" + SECObjectIdentifiers.secp384r1.getId()
                    + ")");
        }
        throw new PkiException("unsupported public key algorithm " + key.getAlgorithm() + "; expected RSA or EC");
    }

    /** The name used in configuration and the API, such as {@code ec-p256}. */
    public String configName() {
        return configName;
    }

    /** A fresh key pair from the module's CSPRNG. RSA keys use the public exponent 65537. */
    public KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaCurveName == null ? "RSA" : "EC");
            AlgorithmParameterSpec spec = jcaCurveName == null
                    ? new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4)
                    : new ECGenParameterSpec(jcaCurveName);
            generator.initialize(spec, Providers.RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot generate a " + configName + " key pair: " + e.getMessage(), e);
        }
    }

    /** The JCA name of the signature algorithm a key of this type signs certificates with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /**
     * The OID of the named curve {@code key} is on. Read from the SubjectPublicKeyInfo encoding
     * because that works the same for JDK and BouncyCastle key classes.
     */
    static ASN1ObjectIdentifier namedCurve(ECPublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new PkiException("EC public key has no encoding; cannot determine its curve");
        }
        ASN1Encodable parameters;
        try {
            parameters = SubjectPublicKeyInfo.getInstance(encoded).getAlgorithm().getParameters();
        } catch (RuntimeException e) {
            throw new PkiException("EC public key encoding is not a valid SubjectPublicKeyInfo: " + e.getMessage(), e);
        }
        if (parameters instanceof ASN1ObjectIdentifier oid) {
            return oid;
        }
        // RFC 5480 2.1.1: PKIX certificates MUST use namedCurve, never specifiedCurve or implicitlyCA.
        throw new PkiException("EC key uses explicit curve parameters; only named curves are supported (RFC 5480 2.1.1)");
    }

    /** The type of an EC key if it is on one of our curves, otherwise empty (never throws for EC keys on other curves). */
    static Optional<KeyType> ofCurve(ECPublicKey key) {
        ASN1ObjectIdentifier oid = namedCurve(key);
        return Arrays.stream(values()).filter(type -> oid.equals(type.curve)).findFirst();
    }

    private static String acceptedNames() {
        return Arrays.stream(values()).map(KeyType::configName).collect(Collectors.joining(", "));
    }
}
