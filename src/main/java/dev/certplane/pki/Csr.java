package dev.certplane.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A parsed, signature-checked PKCS#10 request (RFC 2986). Only what Certplane issues from is
 * extracted: the subject, the key, and the dNSName and iPAddress entries of a subjectAltName in the
 * extensionRequest attribute (PKCS#9, RFC 2985 5.4.2); other requested extensions and SAN types
 * are ignored, because the CA, not the requester, decides what goes into a certificate.
 *
 * <p>The record holds a copy of the DER; {@link #der()} returns a copy too, and equality compares
 * the DER contents rather than array identity. RSA and EC keys are returned as JDK key objects.
 *
 * @param subject the subject as an RFC 2253 string, {@code ""} if the subject is empty
 */
public record Csr(byte[] der, String subject, PublicKey publicKey, List<String> dnsNames, List<String> ipAddresses) {

    public Csr {
        der = der.clone();
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    /**
     * Parses a DER request and verifies its self-signature before reading anything else from it.
     *
     * @throws PkiException {@code "CSR signature does not verify"} for a bad signature, or a
     *     description of what is malformed
     */
    public static Csr parse(byte[] der) {
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new PkiException("not a valid PKCS#10 certificate request: " + e.getMessage(), e);
        }
        try {
            verifySignature(request);
            AltNames names = requestedAltNames(request);
            return new Csr(der, subjectOf(request), publicKeyOf(request), names.dnsNames(), names.ipAddresses());
        } catch (PkiException e) {
            throw e;
        } catch (RuntimeException e) {
            // BouncyCastle parses lazily and signals malformed inner structures with assorted runtime exceptions.
            throw new PkiException("not a valid PKCS#10 certificate request: " + e, e);
        }
    }

    /** Parses the one "CERTIFICATE REQUEST" (or legacy "NEW CERTIFICATE REQUEST") block in {@code pem}. */
    public static Csr parsePem(String pem) {
        List<Pem.Block> blocks = Pem.blocks(pem);
        if (blocks.size() != 1) {
            throw new PkiException("expected exactly one CERTIFICATE REQUEST block but found " + blocks.size() + " PEM blocks");
        }
        Pem.Block block = blocks.get(0);
        if (!block.label().equals("CERTIFICATE REQUEST") && !block.label().equals("NEW CERTIFICATE REQUEST")) {
            throw new PkiException("expected a CERTIFICATE REQUEST block but found " + block.label());
        }
        return parse(block.der());
    }

    /** A copy of the request's DER encoding. */
    @Override
    public byte[] der() {
        return der.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Csr csr && Arrays.equals(der, csr.der);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "Csr[subject=" + subject + ", key=" + publicKey.getAlgorithm() + ", dnsNames=" + dnsNames
                + ", ipAddresses=" + ipAddresses + "]";
    }

    private static void verifySignature(PKCS10CertificationRequest request) {
        ContentVerifierProvider verifier;
        try {
            verifier = new JcaContentVerifierProviderBuilder().setProvider(Providers.BC)
                    .build(request.getSubjectPublicKeyInfo());
        } catch (OperatorCreationException | RuntimeException e) {
            throw new PkiException("CSR public key cannot be decoded: " + e.getMessage(), e);
        }
        boolean valid;
        try {
            valid = request.isSignatureValid(verifier);
        } catch (PKCSException e) {
            // Unknown algorithms are reported as such; any other failure (typically signature bytes
            // that are not even well-formed) means the signature does not verify.
            if (e.getCause() instanceof OperatorCreationException) {
                throw new PkiException("CSR signature algorithm " + request.getSignatureAlgorithm().getAlgorithm().getId()
                        + " is not supported: " + e.getMessage(), e);
            }
            throw new PkiException("CSR signature does not verify", e);
        }
        if (!valid) {
            throw new PkiException("CSR signature does not verify");
        }
    }

    private static String subjectOf(PKCS10CertificationRequest request) {
        try {
            return new X500Principal(request.getSubject().getEncoded()).getName(X500Principal.RFC2253);
        } catch (IOException | IllegalArgumentException e) {
            throw new PkiException("CSR subject is not a valid distinguished name: " + e.getMessage(), e);
        }
    }

    private static PublicKey publicKeyOf(PKCS10CertificationRequest request) {
        SubjectPublicKeyInfo info = request.getSubjectPublicKeyInfo();
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        String jdkName = algorithm.equals(PKCSObjectIdentifiers.rsaEncryption) ? "RSA"
                : algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey) ? "EC" : null;
        if (jdkName != null) {
            try {
                return KeyFactory.getInstance(jdkName).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
            } catch (GeneralSecurityException | IOException e) {
                // e.g. a curve the JDK does not implement; fall through to BouncyCastle so the
                // linter, not the parser, is what refuses it.
            }
        }
        try {
            return new JcaPKCS10CertificationRequest(request).setProvider(Providers.BC).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new PkiException("CSR public key (algorithm " + algorithm.getId() + ") cannot be decoded: " + e.getMessage(), e);
        }
    }

    private static AltNames requestedAltNames(PKCS10CertificationRequest request) {
        Attribute[] attributes = request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        if (attributes.length == 0) {
            return new AltNames(List.of(), List.of());
        }
        if (attributes.length > 1) {
            throw new PkiException("CSR has " + attributes.length + " extensionRequest attributes; expected at most one");
        }
        ASN1Encodable[] values = attributes[0].getAttributeValues();
        if (values.length != 1) {
            throw new PkiException("CSR extensionRequest attribute has " + values.length + " values; expected exactly one");
        }
        Extensions extensions;
        try {
            extensions = Extensions.getInstance(values[0]);
        } catch (RuntimeException e) {
            throw new PkiException("CSR extensionRequest is not a valid Extensions sequence: " + e.getMessage(), e);
        }
        Extension san = extensions.getExtension(Extension.subjectAlternativeName);
        if (san == null) {
            return new AltNames(List.of(), List.of());
        }
        try {
            return AltNames.read(GeneralNames.getInstance(san.getParsedValue()));
        } catch (PkiException e) {
            throw new PkiException("CSR subjectAltName: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new PkiException("CSR subjectAltName extension is malformed: " + e.getMessage(), e);
        }
    }
}
