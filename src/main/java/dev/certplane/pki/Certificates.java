package dev.certplane.pki;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * Reading X.509 certificates: parsing DER, fingerprints, serials, SANs, and checking a private key
 * against a certificate. Certificates are the JDK's {@link X509Certificate} so they can go straight
 * into JDK PKIX validation and TLS key stores.
 */
public final class Certificates {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY_CHECK_MESSAGE = "certplane key match check".getBytes(StandardCharsets.US_ASCII);

    private Certificates() {
    }

    /**
     * The certificate encoded by {@code der}, which must be exactly one DER certificate: unlike the
     * JDK factory this refuses PEM text and trailing bytes.
     *
     * @throws PkiException on garbage, truncation or trailing data
     */
    public static X509Certificate parse(byte[] der) {
        if (der.length == 0) {
            throw new PkiException("expected a DER certificate but the input is empty");
        }
        if (der[0] != 0x30) {
            throw new PkiException(String.format("expected a DER certificate starting with a SEQUENCE tag (0x30) but the first byte is 0x%02x", der[0] & 0xff));
        }
        X509Certificate certificate;
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            certificate = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new PkiException("not a valid X.509 certificate: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // The JDK parser is not hardened against every malformed input; report, don't leak.
            throw new PkiException("not a valid X.509 certificate: " + e, e);
        }
        int used = encoded(certificate).length;
        if (used != der.length) {
            // Usually trailing data; a BER (e.g. indefinite-length) input that the JDK re-encoded also lands here.
            throw new PkiException("expected exactly one DER certificate of " + der.length + " bytes but the certificate"
                    + " read from it is " + used + " bytes (trailing data or not DER)");
        }
        return certificate;
    }

    /** Lowercase hex SHA-256 over the DER encoding: 64 characters, no separators. */
    public static String sha256Fingerprint(X509Certificate cert) {
        return fingerprint("SHA-256", cert);
    }

    /** Lowercase hex SHA-1 over the DER encoding: 40 characters. For display and legacy lookups only. */
    public static String sha1Fingerprint(X509Certificate cert) {
        return fingerprint("SHA-1", cert);
    }

    /**
     * The serial number as lowercase hex without leading zeros ({@code "0"} for zero). A
     * non-conforming negative serial (RFC 5280 4.1.2.2 requires positive) is shown with a leading
     * {@code "-"} rather than as two's complement.
     */
    public static String serialHex(X509Certificate cert) {
        return cert.getSerialNumber().toString(16);
    }

    /** The SAN dNSName entries in certificate order; empty if there is no SAN extension. */
    public static List<String> dnsNames(X509Certificate cert) {
        return altNames(cert).dnsNames();
    }

    /**
     * The SAN iPAddress entries in certificate order as {@link java.net.InetAddress#getHostAddress()}
     * text, so IPv6 addresses come out uncompressed ({@code 2001:db8:0:0:0:0:0:1}).
     */
    public static List<String> ipAddresses(X509Certificate cert) {
        return altNames(cert).ipAddresses();
    }

    /**
     * Whether {@code key} is the private half of the certificate's public key, checked by signing a
     * fixed message and verifying it, which works for any key class. Keys of different algorithms
     * simply do not match.
     */
    public static boolean keyMatches(X509Certificate cert, PrivateKey key) {
        PublicKey publicKey = cert.getPublicKey();
        String family = family(key.getAlgorithm());
        if (!family.equals(family(publicKey.getAlgorithm()))) {
            return false;
        }
        String algorithm = switch (family) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new PkiException("cannot check a " + key.getAlgorithm() + " key; expected RSA or EC");
        };
        try {
            Signature signer = Signature.getInstance(algorithm, Providers.BC);
            signer.initSign(key, Providers.RANDOM);
            signer.update(KEY_CHECK_MESSAGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, Providers.BC);
            verifier.initVerify(publicKey);
            verifier.update(KEY_CHECK_MESSAGE);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            // e.g. an RSA signature longer than the certificate's modulus: certainly a different key.
            return false;
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot check the " + key.getAlgorithm() + " key against the certificate: " + e.getMessage(), e);
        }
    }

    static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new PkiException("cannot DER-encode certificate " + cert.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    private static AltNames altNames(X509Certificate cert) {
        byte[] extension = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (extension == null) {
            return new AltNames(List.of(), List.of());
        }
        try {
            return AltNames.read(GeneralNames.getInstance(JcaX509ExtensionUtils.parseExtensionValue(extension)));
        } catch (PkiException e) {
            throw e;
        } catch (Exception e) {
            throw new PkiException("certificate subjectAltName extension is malformed: " + e.getMessage(), e);
        }
    }

    private static String fingerprint(String digest, X509Certificate cert) {
        try {
            return HEX.formatHex(MessageDigest.getInstance(digest).digest(encoded(cert)));
        } catch (NoSuchAlgorithmException e) {
            throw new PkiException(digest + " is not available: " + e.getMessage(), e);
        }
    }

    private static String family(String algorithm) {
        return "ECDSA".equals(algorithm) ? "EC" : algorithm;
    }
}
