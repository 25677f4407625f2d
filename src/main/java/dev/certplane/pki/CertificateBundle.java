package dev.certplane.pki;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cms.CMSSignedData;
import org.jspecify.annotations.Nullable;

/**
 * Reads the certificate files operators upload: PEM bundles (certificates, unencrypted keys, PKCS#7 blocks),
 * a single DER certificate, PKCS#7 "certs-only" files (RFC 2315 / RFC 5652 SignedData, {@code .p7b}), PKCS#12
 * (RFC 7292), and Java's JKS and JCEKS key stores. The format is told from the content, never from the name,
 * since files are routinely misnamed. Every failure is a {@link PkiException} whose message names the file,
 * the PEM block or key store entry when there is one, and the reason.
 */
public final class CertificateBundle {

    /** More certificates than any real bundle holds; the limit bounds the work one upload can cause. */
    public static final int MAX_CERTIFICATES = 1000;
    /**
     * Private keys one PEM file may carry. Each is matched against the certificates by a signature, so the
     * limit bounds that work; real bundles carry one.
     */
    public static final int MAX_PEM_KEYS = 10;

    private static final int JKS_MAGIC = 0xFEEDFEED;
    private static final int JCEKS_MAGIC = 0xCECECECE;
    private static final String PKCS7 = "PKCS7";
    private static final String ENCRYPTED_PEM_KEY =
            "encrypted private keys in PEM are not supported; export it unencrypted or as PKCS#12";

    private CertificateBundle() {
    }

    /**
     * One certificate with the issuers the file holds for it, and its private key if the file has that.
     *
     * @param entryName where in the file it was: a PEM block, a key store alias, a PKCS#7 position
     * @param chain leaf (or the certificate the key belongs to) first, then its issuers
     */
    public record BundleEntry(String entryName, List<X509Certificate> chain, @Nullable PrivateKey key) {

        public BundleEntry {
            chain = List.copyOf(chain);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("an entry holds at least one certificate");
            }
        }

        @Override
        public String toString() {
            // Never print key material.
            return "BundleEntry[" + entryName + ", " + chain.size() + " certificates, key=" + (key != null) + "]";
        }
    }

    /**
     * Every certificate in the file, grouped into entries.
     *
     * @param fileName only used in messages
     * @param password for PKCS#12, JKS and JCEKS (also of their keys); {@code null} means the empty password
     * @throws PkiException naming the file and what is wrong with it
     */
    public static List<BundleEntry> read(String fileName, byte[] content, char @Nullable [] password) {
        String file = "'" + fileName + "'";
        if (content.length == 0) {
            throw new PkiException(file + " is empty");
        }
        char[] secret = password == null ? new char[0] : password;
        int magic = content.length >= 4 ? (content[0] & 0xff) << 24 | (content[1] & 0xff) << 16
                | (content[2] & 0xff) << 8 | (content[3] & 0xff) : 0;
        if (magic == JKS_MAGIC) {
            return keyStore("JKS", "JKS", file, content, secret);
        }
        if (magic == JCEKS_MAGIC) {
            return keyStore("JCEKS", "JCEKS", file, content, secret);
        }
        // A SEQUENCE tag starts every DER format here; text that happens to start with '0' is DER only if it parses so.
        if (content[0] == 0x30 && (!isText(content) || wholeDer(content))) {
            return der(file, content, secret);
        }
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN ")) {
            return pem(file, text);
        }
        throw new PkiException(file + " is not PEM, DER, PKCS#7, PKCS#12 or JKS");
    }

    // ---- binary: DER certificate, PKCS#7, PKCS#12, told apart by their first element -------------------

    private static List<BundleEntry> der(String file, byte[] content, char[] secret) {
        Header outer = Header.read(file, content, 0);
        if (outer.length() >= 0) {
            long end = outer.headerLength() + outer.length();
            if (end > content.length) {
                throw new PkiException(file + " is truncated: its DER structure declares " + end + " bytes but the file has "
                        + content.length);
            }
            if (end < content.length) {
                throw new PkiException(file + " has " + (content.length - end) + " bytes after its DER structure");
            }
        }
        if (outer.headerLength() >= content.length) {
            throw new PkiException(file + " is truncated: its DER structure is empty");
        }
        Header first = Header.read(file, content, outer.headerLength());
        return switch (first.tag()) {
            case 0x02 -> keyStore("PKCS12", "PKCS#12", file, content, secret); // PFX version INTEGER (RFC 7292 4)
            case 0x06 -> pkcs7(file, content); // ContentInfo contentType OID (RFC 5652 3)
            case 0x30 -> { // Certificate: tbsCertificate SEQUENCE (RFC 5280 4.1)
                try {
                    yield List.of(new BundleEntry("certificate", List.of(Certificates.parse(content)), null));
                } catch (PkiException e) {
                    throw new PkiException(file + " is not a valid DER certificate: " + e.getMessage(), e);
                }
            }
            default -> throw new PkiException(file + " is not PEM, DER, PKCS#7, PKCS#12 or JKS");
        };
    }

    private static List<BundleEntry> pkcs7(String file, byte[] der) {
        List<Item> items = new ArrayList<>();
        for (X509Certificate certificate : pkcs7Certificates(file, der, "the file")) {
            items.add(new Item("certificate " + (items.size() + 1), certificate));
        }
        return group(items, Map.of());
    }

    private static List<X509Certificate> pkcs7Certificates(String file, byte[] der, String where) {
        Collection<X509CertificateHolder> holders;
        try {
            ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(der));
            if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
                throw new PkiException(file + ": " + where + " is PKCS#7 content of type "
                        + info.getContentType().getId() + ", not SignedData holding certificates");
            }
            holders = new CMSSignedData(info).getCertificates().getMatches(null);
        } catch (PkiException e) {
            throw e;
        } catch (Exception e) {
            throw new PkiException(file + ": " + where + " is not readable PKCS#7 data: " + e.getMessage(), e);
        }
        if (holders.size() > MAX_CERTIFICATES) {
            throw tooMany(file);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (X509CertificateHolder holder : holders) {
            try {
                certificates.add(Certificates.parse(holder.getEncoded()));
            } catch (IOException | PkiException e) {
                throw new PkiException(file + ": certificate " + (certificates.size() + 1) + " of the PKCS#7 data in "
                        + where + " is not valid: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new PkiException(file + ": the PKCS#7 data in " + where + " holds no certificate");
        }
        return certificates;
    }

    // ---- key stores: PKCS#12, JKS, JCEKS -------------------------------------------------------------

    private static List<BundleEntry> keyStore(String type, String format, String file, byte[] content, char[] secret) {
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (KeyStoreException e) {
            throw new PkiException(format + " key stores are not available: " + e.getMessage(), e);
        }
        try {
            store.load(new ByteArrayInputStream(content), secret);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new PkiException("wrong password for " + format + " file " + file
                        + (secret.length == 0 ? " (no password was given)" : ""), e);
            }
            if (e instanceof EOFException || e.getCause() instanceof EOFException) {
                throw new PkiException(file + " is truncated: the " + format + " data ends early", e);
            }
            throw new PkiException(file + " is not a readable " + format + " file: " + e.getMessage(), e);
        } catch (Exception e) {
            // Key store parsers are not hardened against every malformed input; report, don't leak.
            throw new PkiException(file + " is not a readable " + format + " file: " + e, e);
        }
        try {
            return keyStoreEntries(store, format, file, secret);
        } catch (PkiException e) {
            throw e;
        } catch (Exception e) {
            throw new PkiException(file + ": an entry of the " + format + " file cannot be read: " + e, e);
        }
    }

    private static List<BundleEntry> keyStoreEntries(KeyStore store, String format, String file, char[] secret)
            throws KeyStoreException, java.security.NoSuchAlgorithmException {
        List<BundleEntry> entries = new ArrayList<>();
        int certificates = 0;
        for (String alias : Collections.list(store.aliases())) {
            String entry = "entry '" + alias + "'";
            List<X509Certificate> chain = new ArrayList<>();
            PrivateKey key = null;
            if (store.isKeyEntry(alias)) {
                Certificate[] certified = store.getCertificateChain(alias);
                if (certified == null || certified.length == 0) {
                    continue; // A secret (symmetric) key entry in JCEKS: no certificate to import.
                }
                for (Certificate certificate : certified) {
                    chain.add(x509(file, entry, certificate));
                }
                Key stored;
                try {
                    stored = store.getKey(alias, secret);
                } catch (UnrecoverableKeyException e) {
                    throw new PkiException(file + ": the private key of " + entry + " is protected by a password other"
                            + " than the file's", e);
                }
                if (stored instanceof PrivateKey privateKey) {
                    key = supportedKey(file, entry, privateKey, chain.get(0));
                }
            } else if (store.isCertificateEntry(alias)) {
                chain.add(x509(file, entry, store.getCertificate(alias)));
            } else {
                continue;
            }
            certificates += chain.size();
            if (certificates > MAX_CERTIFICATES) {
                throw tooMany(file);
            }
            entries.add(new BundleEntry(alias, chain, key));
        }
        if (entries.isEmpty()) {
            throw new PkiException(file + " is a " + format + " file without certificates");
        }
        return entries;
    }

    private static X509Certificate x509(String file, String entry, @Nullable Certificate certificate) {
        if (certificate instanceof X509Certificate x509) {
            return x509;
        }
        throw new PkiException(file + ": " + entry + " holds a certificate that is not X.509");
    }

    /** The key if Certplane can store and use it (RSA or EC) and it belongs to the certificate it came with. */
    private static PrivateKey supportedKey(String file, String entry, PrivateKey key, X509Certificate certificate) {
        String algorithm = key.getAlgorithm();
        if (!algorithm.equals("RSA") && !algorithm.equals("EC")) {
            throw new PkiException(file + ": the private key of " + entry + " is " + algorithm
                    + "; only RSA and EC private keys are supported");
        }
        if (!Certificates.keyMatches(certificate, key)) {
            throw new PkiException(file + ": the private key of " + entry + " does not belong to its certificate");
        }
        return key;
    }

    // ---- PEM ---------------------------------------------------------------------------------------------

    private static List<BundleEntry> pem(String file, String text) {
        List<Pem.Block> blocks;
        try {
            blocks = Pem.blocks(text);
        } catch (PkiException e) {
            throw new PkiException(file + ": " + (Pem.ENCRYPTED_KEY_MESSAGE.equals(e.getMessage()) ? ENCRYPTED_PEM_KEY
                    : e.getMessage()), e);
        }
        List<Item> items = new ArrayList<>();
        List<Pem.Block> keyBlocks = new ArrayList<>();
        for (Pem.Block block : blocks) {
            switch (block.label()) {
                case Pem.CERTIFICATE -> {
                    if (items.size() >= MAX_CERTIFICATES) {
                        throw tooMany(file);
                    }
                    try {
                        items.add(new Item("PEM block " + block.number(), Certificates.parse(block.der())));
                    } catch (PkiException e) {
                        throw new PkiException(file + ": " + block.describe() + " is not a valid certificate: "
                                + e.getMessage(), e);
                    }
                }
                case PKCS7 -> {
                    List<X509Certificate> inside = pkcs7Certificates(file, block.der(), block.describe());
                    if (items.size() + inside.size() > MAX_CERTIFICATES) {
                        throw tooMany(file);
                    }
                    int n = 1;
                    for (X509Certificate certificate : inside) {
                        items.add(new Item("PEM block " + block.number() + " certificate " + n++, certificate));
                    }
                }
                case Pem.PRIVATE_KEY, Pem.RSA_PRIVATE_KEY, Pem.EC_PRIVATE_KEY -> {
                    if (keyBlocks.size() >= MAX_PEM_KEYS) {
                        throw new PkiException(file + " holds more than " + MAX_PEM_KEYS + " private keys");
                    }
                    keyBlocks.add(block);
                }
                case Pem.ENCRYPTED_PRIVATE_KEY -> throw new PkiException(file + ": " + block.describe() + ": "
                        + ENCRYPTED_PEM_KEY);
                case Pem.EC_PARAMETERS -> {
                }
                default -> throw new PkiException(file + ": " + block.describe()
                        + " is not a certificate, private key or PKCS#7 block");
            }
        }
        if (items.isEmpty()) {
            throw new PkiException(file + " holds no certificate" + (keyBlocks.isEmpty() ? "" : ", only a private key"));
        }
        Map<Integer, PrivateKey> keys = new HashMap<>();
        for (Pem.Block block : keyBlocks) {
            PrivateKey key;
            try {
                key = Pem.decodePrivateKey(block);
            } catch (PkiException e) {
                throw new PkiException(file + ": " + e.getMessage(), e);
            }
            int owner = -1;
            for (int i = 0; i < items.size() && owner < 0; i++) {
                if (Certificates.keyMatches(items.get(i).certificate(), key)) {
                    owner = i;
                }
            }
            if (owner < 0) {
                throw new PkiException(file + ": the private key in " + block.describe()
                        + " belongs to none of the certificates in the file");
            }
            keys.putIfAbsent(owner, key);
        }
        return group(items, keys);
    }

    // ---- grouping certificates into chains -------------------------------------------------------------

    private record Item(String label, X509Certificate certificate) {
    }

    /**
     * One entry per certificate that issued none of the others (a leaf, or a lone CA) and per certificate with
     * a key, each followed by its issuers from the file. Issuers are found as the inventory links them: the
     * subject DN equals the issuer DN and, when both are present, the subject key identifier equals the
     * authority key identifier (RFC 5280 4.2.1.1). The same certificate twice in a file counts once.
     */
    private static List<BundleEntry> group(List<Item> all, Map<Integer, PrivateKey> keys) {
        List<Item> items = new ArrayList<>();
        Map<Integer, PrivateKey> keyOf = new HashMap<>();
        Map<String, Integer> byFingerprint = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            String fingerprint = Certificates.sha256Fingerprint(all.get(i).certificate());
            Integer index = byFingerprint.get(fingerprint);
            if (index == null) {
                index = items.size();
                byFingerprint.put(fingerprint, index);
                items.add(all.get(i));
            }
            PrivateKey key = keys.get(i);
            if (key != null) {
                keyOf.putIfAbsent(index, key);
            }
        }
        Map<X500Principal, List<Integer>> bySubject = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            bySubject.computeIfAbsent(items.get(i).certificate().getSubjectX500Principal(), k -> new ArrayList<>()).add(i);
        }
        int[] issuerOf = new int[items.size()];
        boolean[] issuedSomething = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            issuerOf[i] = issuer(items, bySubject, i);
            if (issuerOf[i] >= 0) {
                issuedSomething[issuerOf[i]] = true;
            }
        }
        List<BundleEntry> entries = new ArrayList<>();
        Set<Integer> covered = new HashSet<>();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < items.size(); i++) {
                // First pass: leaves and certificates with keys; second: whatever is left (issuers in a cycle).
                boolean start = pass == 0 ? !issuedSomething[i] || keyOf.containsKey(i) : !covered.contains(i);
                if (!start) {
                    continue;
                }
                List<X509Certificate> chain = new ArrayList<>();
                Set<Integer> inChain = new HashSet<>();
                for (int at = i; at >= 0 && inChain.add(at); at = issuerOf[at]) {
                    chain.add(items.get(at).certificate());
                    covered.add(at);
                }
                entries.add(new BundleEntry(items.get(i).label(), chain, keyOf.get(i)));
            }
        }
        return entries;
    }

    private static int issuer(List<Item> items, Map<X500Principal, List<Integer>> bySubject, int index) {
        X509Certificate certificate = items.get(index).certificate();
        X500Principal issuer = certificate.getIssuerX500Principal();
        if (issuer.equals(certificate.getSubjectX500Principal())) {
            return -1;
        }
        byte[] authorityKeyId = authorityKeyId(certificate);
        for (int candidate : bySubject.getOrDefault(issuer, List.of())) {
            byte[] subjectKeyId = subjectKeyId(items.get(candidate).certificate());
            if (candidate != index && (authorityKeyId == null || subjectKeyId == null
                    || Arrays.equals(authorityKeyId, subjectKeyId))) {
                return candidate;
            }
        }
        return -1;
    }

    private static byte @Nullable [] authorityKeyId(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        try {
            return value == null ? null
                    : AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value)).getKeyIdentifier();
        } catch (Exception e) {
            return null; // A malformed identifier links by name alone.
        }
    }

    private static byte @Nullable [] subjectKeyId(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        try {
            return value == null ? null
                    : SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value)).getKeyIdentifier();
        } catch (Exception e) {
            return null;
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static PkiException tooMany(String file) {
        return new PkiException(file + " holds more than " + MAX_CERTIFICATES + " certificates; split it");
    }

    /** Whether the whole content is one DER element (so a text file that happens to start with '0' is not). */
    private static boolean wholeDer(byte[] content) {
        try {
            Header outer = Header.read("", content, 0);
            return outer.length() < 0 || outer.headerLength() + outer.length() == content.length;
        } catch (PkiException e) {
            return false;
        }
    }

    private static boolean isText(byte[] content) {
        int sample = Math.min(content.length, 512);
        for (int i = 0; i < sample; i++) {
            int b = content[i] & 0xff;
            if (b < 0x09 || b > 0x0d && b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** A DER tag-length header (X.690 8.1.2-8.1.3); {@code length} is -1 for BER's indefinite form. */
    private record Header(int tag, int headerLength, long length) {

        static Header read(String file, byte[] content, int offset) {
            if (offset + 2 > content.length) {
                throw truncated(file);
            }
            int tag = content[offset] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw new PkiException(file + " is not PEM, DER, PKCS#7, PKCS#12 or JKS");
            }
            int first = content[offset + 1] & 0xff;
            if (first < 0x80) {
                return new Header(tag, 2, first);
            }
            if (first == 0x80) {
                return new Header(tag, 2, -1);
            }
            int octets = first & 0x7f;
            if (octets > 4) {
                throw new PkiException(file + " declares a DER length of " + octets + " octets, which no certificate"
                        + " file needs");
            }
            if (offset + 2 + octets > content.length) {
                throw truncated(file);
            }
            long length = 0;
            for (int i = 0; i < octets; i++) {
                length = length << 8 | content[offset + 2 + i] & 0xff;
            }
            return new Header(tag, 2 + octets, length);
        }

        private static PkiException truncated(String file) {
            return new PkiException(file + " is truncated: it ends inside a DER header");
        }
    }
}
