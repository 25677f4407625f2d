package dev.certplane.acme.protocol;

import java.math.BigInteger;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The ARI certificate identifier (RFC 9773 4.1): base64url of the Authority Key Identifier's keyIdentifier,
 * a dot, and base64url of the DER serial number's content octets.
 */
public record CertificateId(byte[] keyIdentifier, BigInteger serial) {

    public CertificateId {
        keyIdentifier = keyIdentifier.clone();
    }

    /**
     * @throws AcmeProblem {@code malformed} naming what is wrong
     */
    public static CertificateId parse(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1 || text.indexOf('.', dot + 1) >= 0) {
            throw AcmeProblem.malformed("\"" + abbreviate(text) + "\" is not an ARI certificate id"
                    + " (base64url(keyIdentifier) \".\" base64url(serial), RFC 9773 4.1)");
        }
        byte[] keyIdentifier = Base64Url.decode(text.substring(0, dot), "certificate id's key identifier");
        byte[] serial = Base64Url.decode(text.substring(dot + 1), "certificate id's serial number");
        if (serial.length == 0 || serial.length > 20 || serial[0] < 0) {
            throw AcmeProblem.malformed("the certificate id's serial number must be 1 to 20 octets of a positive"
                    + " DER integer");
        }
        return new CertificateId(keyIdentifier, new BigInteger(serial));
    }

    /** The id of a certificate that carries an Authority Key Identifier. */
    public static CertificateId of(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (extension == null) {
            throw new IllegalArgumentException("the certificate has no authority key identifier");
        }
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(
                ASN1OctetString.getInstance(extension).getOctets());
        return new CertificateId(aki.getKeyIdentifierObject().getOctets(), certificate.getSerialNumber());
    }

    public String text() {
        return Base64Url.encode(keyIdentifier) + "." + Base64Url.encode(serial.toByteArray());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CertificateId id && java.util.Arrays.equals(keyIdentifier, id.keyIdentifier)
                && serial.equals(id.serial);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(keyIdentifier) + serial.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
