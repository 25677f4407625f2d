package dev.certplane.pki;

import java.math.BigInteger;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Everything that goes into a certificate, decided before any signature exists (so it can be
 * linted and recorded first). The constructor only copies; whether the values make a good
 * certificate is {@link CertificateLinter}'s job, so that a bad spec can still be built and
 * reported on. Times are stored as given but certificates carry whole seconds, so the signer
 * truncates them.
 *
 * @param subject RFC 2253 distinguished name such as {@code CN=Certplane Root CA,O=Certplane};
 *     {@code ""} for a leaf identified only by its SANs
 * @param pathLength the basicConstraints pathLenConstraint for a CA; {@code null} means unlimited,
 *     and must be {@code null} for a leaf
 * @param keyUsage unordered; empty means no keyUsage extension
 * @param dnsNames dNSName SAN entries, in certificate order
 * @param ipAddresses iPAddress SAN entries as IPv4 or IPv6 literals, in certificate order
 * @param ocspUrl OCSP responder for the authorityInfoAccess extension, or {@code null}
 * @param caIssuersUrl where the issuer certificate can be fetched (authorityInfoAccess), or {@code null}
 * @param crlUrl the crlDistributionPoints URL, or {@code null}
 */
public record CertificateSpec(
        String subject,
        PublicKey publicKey,
        BigInteger serial,
        Instant notBefore,
        Instant notAfter,
        boolean ca,
        @Nullable Integer pathLength,
        Set<KeyUsageBit> keyUsage,
        List<ExtendedKeyUsage> extendedKeyUsage,
        List<String> dnsNames,
        List<String> ipAddresses,
        @Nullable String ocspUrl,
        @Nullable String caIssuersUrl,
        @Nullable String crlUrl) {

    public CertificateSpec {
        Objects.requireNonNull(subject, "subject (use \"\" for none)");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        // Set.copyOf, unlike EnumSet.copyOf, accepts an empty non-EnumSet collection.
        keyUsage = Set.copyOf(keyUsage);
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }
}
