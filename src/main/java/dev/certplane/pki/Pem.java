package dev.certplane.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * PEM (RFC 7468 textual encoding) for certificates and private keys. Encoding writes 64-character
 * base64 lines with {@code \n} line ends. Decoding ignores text before, between and after blocks
 * (so {@code openssl x509 -text} output works) but is otherwise strict: every block must have its
 * matching END line and a valid base64 body, and a block of an unexpected type is an error rather
 * than silently skipped, so a private key pasted into a certificate field is reported, not dropped.
 */
public final class Pem {

    static final String CERTIFICATE = "CERTIFICATE";
    static final String PRIVATE_KEY = "PRIVATE KEY";
    static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";
    static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";
    static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";
    /** OpenSSL writes this block before an EC PRIVATE KEY; the key repeats the curve, so it is skipped. */
    static final String EC_PARAMETERS = "EC PARAMETERS";
    static final String ENCRYPTED_KEY_MESSAGE = "encrypted private keys are not supported; decrypt it first";

    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([^\\r\\n]*?)-----");
    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    /** One decoded PEM block; {@code number} counts blocks from 1 and {@code line} is where BEGIN is. */
    record Block(String label, byte[] der, int number, int line) {

        String describe() {
            return "PEM block " + number + " (" + label + ", line " + line + ")";
        }
    }

    /** A single CERTIFICATE block. */
    public static String encodeCertificate(X509Certificate cert) {
        try {
            return encode(CERTIFICATE, cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new PkiException("cannot DER-encode certificate " + cert.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    /** The certificates' blocks concatenated in list order (leaf first, by convention). */
    public static String encodeCertificates(List<X509Certificate> chain) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate cert : chain) {
            out.append(encodeCertificate(cert));
        }
        return out.toString();
    }

    /**
     * An unencrypted PKCS#8 "PRIVATE KEY" block.
     *
     * @throws PkiException if the key cannot be exported, as with keys held in hardware
     */
    public static String encodePrivateKey(PrivateKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
            throw new PkiException("private key cannot be exported as PKCS#8 (its encoding format is "
                    + key.getFormat() + ")");
        }
        return encode(PRIVATE_KEY, encoded);
    }

    /**
     * All certificates in {@code pem}, in order.
     *
     * @throws PkiException if there is no CERTIFICATE block, a block of another type, or a block
     *     that does not decode to a certificate
     */
    public static List<X509Certificate> decodeCertificates(String pem) {
        List<Block> blocks = blocks(pem);
        if (blocks.stream().noneMatch(block -> block.label().equals(CERTIFICATE))) {
            throw new PkiException("no CERTIFICATE block found" + foundInstead(blocks));
        }
        List<X509Certificate> certificates = new ArrayList<>(blocks.size());
        for (Block block : blocks) {
            if (!block.label().equals(CERTIFICATE)) {
                throw new PkiException("expected only CERTIFICATE blocks but " + block.describe() + " is not one");
            }
            try {
                certificates.add(Certificates.parse(block.der()));
            } catch (PkiException e) {
                throw new PkiException(block.describe() + " is not a valid certificate: " + e.getMessage(), e);
            }
        }
        return List.copyOf(certificates);
    }

    /** The one certificate in {@code pem}; more than one block is an error, not "take the first". */
    public static X509Certificate decodeCertificate(String pem) {
        List<X509Certificate> certificates = decodeCertificates(pem);
        if (certificates.size() != 1) {
            throw new PkiException("expected exactly one CERTIFICATE block but found " + certificates.size());
        }
        return certificates.get(0);
    }

    /**
     * The one unencrypted private key in {@code pem}, from a PKCS#8 "PRIVATE KEY", PKCS#1 "RSA
     * PRIVATE KEY" or SEC1 "EC PRIVATE KEY" block (an OpenSSL "EC PARAMETERS" block beside it is
     * ignored). RSA and EC keys only; the result is a JDK key object.
     *
     * @throws PkiException for encrypted keys, anything else, or more than one key
     */
    public static PrivateKey decodePrivateKey(String pem) {
        List<Block> blocks = blocks(pem);
        List<Block> keys = new ArrayList<>();
        for (Block block : blocks) {
            switch (block.label()) {
                case ENCRYPTED_PRIVATE_KEY -> throw new PkiException(ENCRYPTED_KEY_MESSAGE);
                case PRIVATE_KEY, RSA_PRIVATE_KEY, EC_PRIVATE_KEY -> keys.add(block);
                case EC_PARAMETERS -> {
                }
                default -> throw new PkiException("expected a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block but "
                        + block.describe() + " is not one");
            }
        }
        if (keys.isEmpty()) {
            throw new PkiException("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found" + foundInstead(blocks));
        }
        if (keys.size() > 1) {
            throw new PkiException("expected exactly one private key block but found " + keys.size());
        }
        return decodePrivateKey(keys.get(0));
    }

    /** The key in a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block, as a JDK key object. */
    static PrivateKey decodePrivateKey(Block block) {
        try {
            return toPrivateKey(privateKeyInfo(block));
        } catch (PkiException e) {
            throw new PkiException(block.describe() + " is not a valid private key: " + e.getMessage(), e);
        }
    }

    /**
     * Every BEGIN/END block in {@code pem} with its base64 body decoded; text outside blocks is
     * ignored. Whitespace inside a body is ignored; RFC 1421 headers (as in OpenSSL's legacy
     * encrypted keys) are refused.
     */
    static List<Block> blocks(String pem) {
        List<Block> blocks = new ArrayList<>();
        Matcher begin = BEGIN.matcher(pem);
        LineCounter lines = new LineCounter(pem);
        int position = 0;
        while (position < pem.length() && begin.find(position)) {
            String label = begin.group(1);
            int line = lines.lineOf(begin.start());
            String endLine = "-----END " + label + "-----";
            int bodyStart = begin.end();
            int end = pem.indexOf(endLine, bodyStart);
            int nextBegin = pem.indexOf("-----BEGIN ", bodyStart);
            if (end < 0 || (nextBegin >= 0 && nextBegin < end)) {
                throw new PkiException("PEM block " + (blocks.size() + 1) + " (" + label + ", line " + line
                        + ") has no matching \"" + endLine + "\" line");
            }
            Block described = new Block(label, new byte[0], blocks.size() + 1, line);
            blocks.add(new Block(label, decodeBody(described, pem.substring(bodyStart, end)), described.number(), line));
            position = end + endLine.length();
        }
        return blocks;
    }

    private static byte[] decodeBody(Block block, String body) {
        if (body.indexOf(':') >= 0) {
            // RFC 1421 headers; "Proc-Type: 4,ENCRYPTED" marks OpenSSL's legacy password-protected keys.
            if (body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
                throw new PkiException(ENCRYPTED_KEY_MESSAGE);
            }
            throw new PkiException(block.describe()
                    + " has RFC 1421 headers (\"Name: value\" lines); only plain base64 bodies are supported");
        }
        StringBuilder base64 = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!Character.isWhitespace(c)) {
                base64.append(c);
            }
        }
        if (base64.length() == 0) {
            throw new PkiException(block.describe() + " has an empty body");
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new PkiException(block.describe() + " has a body that is not valid base64: " + e.getMessage(), e);
        }
    }

    private static PrivateKeyInfo privateKeyInfo(Block block) {
        ASN1Primitive asn1;
        try {
            // fromByteArray rejects trailing bytes after the outer SEQUENCE, unlike getInstance(byte[]).
            asn1 = ASN1Primitive.fromByteArray(block.der());
        } catch (Exception e) {
            throw new PkiException("body is not DER: " + e.getMessage(), e);
        }
        try {
            return switch (block.label()) {
                case RSA_PRIVATE_KEY -> new PrivateKeyInfo(
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                        RSAPrivateKey.getInstance(asn1));
                case EC_PRIVATE_KEY -> {
                    ECPrivateKey sec1 = ECPrivateKey.getInstance(asn1);
                    // RFC 5915 3: parameters are optional in the structure, but without them the curve is unknown.
                    ASN1Encodable curve = sec1.getParametersObject();
                    if (curve == null) {
                        throw new PkiException("EC PRIVATE KEY does not name its curve (the optional parameters field is absent)");
                    }
                    yield new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), sec1);
                }
                default -> PrivateKeyInfo.getInstance(asn1);
            };
        } catch (PkiException e) {
            throw e;
        } catch (Exception e) {
            throw new PkiException("body is not a " + expectedStructure(block.label()) + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey toPrivateKey(PrivateKeyInfo info) {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        String name;
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            name = "RSA";
        } else if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            name = "EC";
        } else {
            throw new PkiException("key algorithm " + algorithm.getId() + " is not supported; expected RSA ("
                    + PKCSObjectIdentifiers.rsaEncryption.getId() + ") or EC (" + X9ObjectIdentifiers.id_ecPublicKey.getId() + ")");
        }
        try {
            return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            throw new PkiException(name + " key cannot be decoded: " + e.getMessage(), e);
        }
    }

    private static String expectedStructure(String label) {
        return switch (label) {
            case RSA_PRIVATE_KEY -> "PKCS#1 RSAPrivateKey";
            case EC_PRIVATE_KEY -> "SEC1 ECPrivateKey";
            default -> "PKCS#8 PrivateKeyInfo";
        };
    }

    private static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + ENCODER.encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    private static String foundInstead(List<Block> blocks) {
        if (blocks.isEmpty()) {
            return "";
        }
        return " (found " + blocks.stream().map(Block::label).collect(Collectors.joining(", ")) + " instead)";
    }

    /** 1-based line numbers for increasing offsets, counted incrementally so a large bundle stays linear. */
    private static final class LineCounter {
        private final String text;
        private int offset;
        private int line = 1;

        LineCounter(String text) {
            this.text = text;
        }

        int lineOf(int index) {
            for (; offset < index; offset++) {
                if (text.charAt(offset) == '\n') {
                    line++;
                }
            }
            return line;
        }
    }
}
