package dev.certplane.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.spec.ECNamedCurveSpec;
import org.bouncycastle.util.encoders.Hex;

/**
 * Everything the inventory shows about one certificate, read from its DER without trusting it: names,
 * key, signature, constraints, usages, where its issuer and revocation information live, how many SCTs
 * it carries. Parsing never throws for an unusual but well-formed certificate; an extension that cannot
 * be read is left out.
 *
 * @param keyAlgorithm {@code RSA}, {@code EC}, {@code Ed25519}, …
 * @param keyBits modulus size for RSA, field size for EC, 0 when unknown
 * @param keyCurve named curve for EC keys ({@code P-256}), otherwise {@code null}
 * @param pathLength the basicConstraints path length, {@code -1} when absent
 * @param subjectKeyId hex, {@code null} when absent (used to link chains)
 */
public record CertificateFacts(String subject, String subjectCommonName, String issuer, String issuerCommonName,
        String serial, String sha256, String sha1, Instant notBefore, Instant notAfter, List<String> dnsNames,
        List<String> ipAddresses, List<String> emails, List<String> uris, String keyAlgorithm, int keyBits,
        String keyCurve, String signatureAlgorithm, boolean ca, int pathLength, List<String> keyUsage,
        List<String> extendedKeyUsage, List<String> caIssuerUrls, List<String> ocspUrls, List<String> crlUrls,
        int sctCount, String subjectKeyId, String authorityKeyId, boolean selfIssued) {

    /** RFC 6962 3.3: the embedded SCT list extension. */
    private static final ASN1ObjectIdentifier SCT_LIST = new ASN1ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2");
    private static final String[] KEY_USAGE_NAMES = {"digitalSignature", "nonRepudiation", "keyEncipherment",
            "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
    private static final Map<KeyPurposeId, String> PURPOSES = Map.of(KeyPurposeId.id_kp_serverAuth, "serverAuth",
            KeyPurposeId.id_kp_clientAuth, "clientAuth", KeyPurposeId.id_kp_codeSigning, "codeSigning",
            KeyPurposeId.id_kp_emailProtection, "emailProtection", KeyPurposeId.id_kp_timeStamping, "timeStamping",
            KeyPurposeId.id_kp_OCSPSigning, "OCSPSigning", KeyPurposeId.anyExtendedKeyUsage, "anyExtendedKeyUsage");
    private static final Map<String, String> CURVES = Map.of("secp256r1", "P-256", "prime256v1", "P-256",
            "secp384r1", "P-384", "secp521r1", "P-521");

    public CertificateFacts {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        emails = List.copyOf(emails);
        uris = List.copyOf(uris);
        keyUsage = List.copyOf(keyUsage);
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
        caIssuerUrls = List.copyOf(caIssuerUrls);
        ocspUrls = List.copyOf(ocspUrls);
        crlUrls = List.copyOf(crlUrls);
    }

    public static CertificateFacts of(X509Certificate certificate) {
        X509CertificateHolder holder;
        try {
            holder = new X509CertificateHolder(certificate.getEncoded());
        } catch (CertificateEncodingException | IOException e) {
            throw new PkiException("cannot read the certificate: " + e.getMessage(), e);
        }
        Extensions extensions = holder.getExtensions();
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        GeneralNames sans = extensions == null ? null : GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        if (sans != null) {
            for (GeneralName name : sans.getNames()) {
                switch (name.getTagNo()) {
                    case GeneralName.dNSName -> dns.add(text(name.getName()).toLowerCase(Locale.ROOT));
                    case GeneralName.iPAddress -> ips.add(ip(ASN1OctetString.getInstance(name.getName()).getOctets()));
                    case GeneralName.rfc822Name -> emails.add(text(name.getName()));
                    case GeneralName.uniformResourceIdentifier -> uris.add(text(name.getName()));
                    default -> { }
                }
            }
        }
        BasicConstraints constraints = extensions == null ? null : BasicConstraints.fromExtensions(extensions);
        boolean ca = constraints != null && constraints.isCA();
        int pathLength = ca && constraints.getPathLenConstraint() != null ? constraints.getPathLenConstraint().intValue() : -1;
        List<String> aiaIssuers = new ArrayList<>();
        List<String> ocsp = new ArrayList<>();
        AuthorityInformationAccess aia = extensions == null ? null : AuthorityInformationAccess.fromExtensions(extensions);
        if (aia != null) {
            for (AccessDescription description : aia.getAccessDescriptions()) {
                if (description.getAccessLocation().getTagNo() != GeneralName.uniformResourceIdentifier) {
                    continue;
                }
                String url = text(description.getAccessLocation().getName());
                if (description.getAccessMethod().equals(AccessDescription.id_ad_caIssuers)) {
                    aiaIssuers.add(url);
                } else if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                    ocsp.add(url);
                }
            }
        }
        SubjectKeyIdentifier ski = extensions == null ? null : SubjectKeyIdentifier.fromExtensions(extensions);
        AuthorityKeyIdentifier aki = extensions == null ? null : AuthorityKeyIdentifier.fromExtensions(extensions);
        PublicKey key = certificate.getPublicKey();
        X500Name subject = holder.getSubject();
        X500Name issuer = holder.getIssuer();
        return new CertificateFacts(certificate.getSubjectX500Principal().getName(), commonName(subject),
                certificate.getIssuerX500Principal().getName(), commonName(issuer), Certificates.serialHex(certificate),
                Certificates.sha256Fingerprint(certificate), Certificates.sha1Fingerprint(certificate),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), dns, ips, emails, uris,
                keyAlgorithm(key), keyBits(key), curve(key), certificate.getSigAlgName(), ca, pathLength,
                keyUsage(extensions), extendedKeyUsage(extensions), aiaIssuers, ocsp, crlUrls(extensions),
                sctCount(extensions), ski == null ? null : Hex.toHexString(ski.getKeyIdentifier()),
                aki == null || aki.getKeyIdentifier() == null ? null : Hex.toHexString(aki.getKeyIdentifier()),
                subject.equals(issuer));
    }

    /** A leaf: not a CA (RFC 5280 4.2.1.9). Only leaves raise lifecycle alerts. */
    public boolean leaf() {
        return !ca;
    }

    private static String commonName(X500Name name) {
        RDN[] rdns = name.getRDNs(BCStyle.CN);
        return rdns.length == 0 ? "" : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    private static String text(ASN1Encodable value) {
        return value instanceof ASN1String string ? string.getString() : value.toString();
    }

    private static String ip(byte[] octets) {
        try {
            return InetAddress.getByAddress(octets).getHostAddress();
        } catch (UnknownHostException e) {
            // A name constraint (address + mask) or garbage: show the octets rather than fail.
            return Hex.toHexString(octets);
        }
    }

    private static String keyAlgorithm(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "ECDSA" -> "EC";
            case "1.3.101.112" -> "Ed25519";
            default -> key.getAlgorithm();
        };
    }

    private static int keyBits(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        return key.getAlgorithm().contains("25519") ? 256 : key.getAlgorithm().contains("448") ? 448 : 0;
    }

    private static String curve(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            return null;
        }
        if (ec.getParams() instanceof ECNamedCurveSpec named) {
            return CURVES.getOrDefault(named.getName(), named.getName());
        }
        String description = ec.getParams().toString();
        for (Map.Entry<String, String> entry : CURVES.entrySet()) {
            if (description.contains(entry.getKey())) {
                return entry.getValue();
            }
        }
        return switch (ec.getParams().getCurve().getField().getFieldSize()) {
            case 256 -> "P-256";
            case 384 -> "P-384";
            case 521 -> "P-521";
            default -> "unknown";
        };
    }

    private static List<String> keyUsage(Extensions extensions) {
        KeyUsage usage = extensions == null ? null : KeyUsage.fromExtensions(extensions);
        List<String> names = new ArrayList<>();
        if (usage == null) {
            return names;
        }
        int[] bits = {KeyUsage.digitalSignature, KeyUsage.nonRepudiation, KeyUsage.keyEncipherment,
                KeyUsage.dataEncipherment, KeyUsage.keyAgreement, KeyUsage.keyCertSign, KeyUsage.cRLSign,
                KeyUsage.encipherOnly, KeyUsage.decipherOnly};
        for (int i = 0; i < bits.length; i++) {
            if (usage.hasUsages(bits[i])) {
                names.add(KEY_USAGE_NAMES[i]);
            }
        }
        return names;
    }

    private static List<String> extendedKeyUsage(Extensions extensions) {
        List<String> names = new ArrayList<>();
        org.bouncycastle.asn1.x509.ExtendedKeyUsage usage = extensions == null ? null
                : org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(extensions);
        if (usage != null) {
            for (KeyPurposeId purpose : usage.getUsages()) {
                names.add(PURPOSES.getOrDefault(purpose, purpose.getId()));
            }
        }
        return names;
    }

    private static List<String> crlUrls(Extensions extensions) {
        List<String> urls = new ArrayList<>();
        CRLDistPoint points = extensions == null ? null : CRLDistPoint.fromExtensions(extensions);
        if (points == null) {
            return urls;
        }
        for (DistributionPoint point : points.getDistributionPoints()) {
            DistributionPointName name = point.getDistributionPoint();
            if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (general.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        urls.add(text(general.getName()));
                    }
                }
            }
        }
        return urls;
    }

    /**
     * The number of SCTs in the embedded list (RFC 6962 3.3): the extension's OCTET STRING holds a TLS
     * {@code SignedCertificateTimestampList}, a 2-byte length and then 2-byte-length-prefixed entries.
     */
    private static int sctCount(Extensions extensions) {
        Extension extension = extensions == null ? null : extensions.getExtension(SCT_LIST);
        if (extension == null) {
            return 0;
        }
        try {
            byte[] list = ASN1OctetString.getInstance(extension.getParsedValue()).getOctets();
            int count = 0;
            int position = 2;
            while (position + 2 <= list.length) {
                int length = ((list[position] & 0xff) << 8) | (list[position + 1] & 0xff);
                position += 2 + length;
                if (position > list.length) {
                    break;
                }
                count++;
            }
            return count;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
