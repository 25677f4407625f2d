package dev.certplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA on P-256 with SHA-256 for the load client, on BouncyCastle's lightweight API (no JCA provider look-up or
 * key conversion per signature) and with a faster multiplication of the base point: a table of
 * {@code b * 256^i * G} for every byte position {@code i} and byte value {@code b} (32 x 255 affine points, about
 * 1 MB, built once) turns {@code k * G} into at most 32 mixed additions, where BouncyCastle's comb multiplier does
 * some 43 doublings, 43 additions and 43 constant-time table scans. The table look-up is not constant-time: fine for
 * a load client's throw-away keys, not for anything else. Signatures are ordinary randomized ECDSA.
 *
 * <p>An instance holds a digest and a random source: one per thread.
 */
final class EcdsaP256 {

    static final ECNamedDomainParameters DOMAIN = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1,
            CustomNamedCurves.getByOID(SECObjectIdentifiers.secp256r1));

    /**
     * A key pair; {@link #x()}, {@link #y()} and {@link #subjectPublicKeyInfo()} give its public half as JWS and CSRs
     * need it.
     */
    record Key(ECPrivateKeyParameters privateKey, ECPublicKeyParameters publicKey) {

        /** The affine x coordinate, 32 bytes big-endian (RFC 7518 6.2.1.2). */
        byte[] x() {
            return publicKey.getQ().getAffineXCoord().getEncoded();
        }

        /** The affine y coordinate, 32 bytes big-endian. */
        byte[] y() {
            return publicKey.getQ().getAffineYCoord().getEncoded();
        }

        SubjectPublicKeyInfo subjectPublicKeyInfo() {
            try {
                return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final SecureRandom random;
    private final SHA256Digest digest = new SHA256Digest();
    private final byte[] hash = new byte[32];
    private final ECDSASigner signer = new ECDSASigner() {
        @Override
        protected ECMultiplier createBasePointMultiplier() {
            return BaseTable.MULTIPLIER;
        }
    };

    EcdsaP256(SecureRandom random) {
        this.random = random;
    }

    /** Builds the base point table now rather than on the first signature. */
    static void precompute() {
        BaseTable.MULTIPLIER.hashCode();
    }

    Key generateKey() {
        ECKeyPairGenerator g = new ECKeyPairGenerator();
        g.init(new ECKeyGenerationParameters(DOMAIN, random));
        AsymmetricCipherKeyPair pair = g.generateKeyPair();
        return new Key((ECPrivateKeyParameters) pair.getPrivate(), (ECPublicKeyParameters) pair.getPublic());
    }

    /** JWS ES256 (RFC 7518 3.4): r and s, 32 bytes each. */
    byte[] signJose(Key key, byte[] data) {
        BigInteger[] rs = sign(key, data);
        byte[] out = new byte[64];
        BigIntegers.asUnsignedByteArray(rs[0], out, 0, 32);
        BigIntegers.asUnsignedByteArray(rs[1], out, 32, 32);
        return out;
    }

    /** X.509 ecdsa-with-SHA256: SEQUENCE { r INTEGER, s INTEGER } in DER. */
    byte[] signDer(Key key, byte[] data) {
        BigInteger[] rs = sign(key, data);
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])}).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BigInteger[] sign(Key key, byte[] data) {
        digest.update(data, 0, data.length);
        digest.doFinal(hash, 0);
        signer.init(true, new ParametersWithRandom(key.privateKey(), random));
        return signer.generateSignature(hash);
    }

    /** The table multiplier for P-256's base point; any other point goes to BouncyCastle's comb multiplier. */
    static final class BaseTable implements ECMultiplier {

        static final BaseTable MULTIPLIER = new BaseTable(DOMAIN.getG(), 8);

        private static final ECMultiplier FALLBACK = new FixedPointCombMultiplier();

        private final ECPoint base;
        private final ECCurve curve;
        private final int width;
        private final int windows;
        private final int perWindow;
        /** [i * perWindow + v - 1] = v * 2^(width * i) * G, normalized (affine: additions to it are mixed ones). */
        private final ECPoint[] table;

        BaseTable(ECPoint base, int width) {
            this.base = base;
            this.curve = base.getCurve();
            this.width = width;
            this.windows = (256 + width - 1) / width;
            this.perWindow = (1 << width) - 1;
            this.table = new ECPoint[windows * perWindow];
            ECPoint unit = base;
            for (int i = 0; i < windows; i++) {
                ECPoint p = unit;
                for (int v = 0; v < perWindow; v++) {
                    table[i * perWindow + v] = p;
                    p = p.add(unit);
                }
                unit = p;  // 2^width * unit
            }
            curve.normalizeAll(table);
        }

        @Override
        public ECPoint multiply(ECPoint p, BigInteger k) {
            if ((p != base && !p.equals(base)) || k.signum() <= 0 || k.bitLength() > 256) {
                return FALLBACK.multiply(p, k);
            }
            byte[] bytes = BigIntegers.asUnsignedByteArray(32, k);
            ECPoint acc = curve.getInfinity();
            int mask = perWindow;
            for (int i = 0; i < windows; i++) {
                int bit = i * width;
                int v = 0;
                for (int j = Math.min(width, 256 - bit) - 1; j >= 0; j--) {
                    int b = bit + j;
                    v = (v << 1) | ((bytes[31 - (b >>> 3)] >>> (b & 7)) & 1);
                }
                if (v != 0) {
                    acc = acc.add(table[i * perWindow + (v & mask) - 1]);
                }
            }
            return acc;
        }
    }
}
