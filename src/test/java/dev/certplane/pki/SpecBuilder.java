package dev.certplane.pki;

import java.math.BigInteger;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Test-only fluent construction of {@link CertificateSpec}s, so each test changes one field of a good spec. */
final class SpecBuilder {

    private String subject = "";
    private PublicKey publicKey;
    private BigInteger serial = Serials.random();
    private Instant notBefore;
    private Instant notAfter;
    private boolean ca;
    private Integer pathLength;
    private Set<KeyUsageBit> keyUsage = Set.of();
    private List<ExtendedKeyUsage> extendedKeyUsage = List.of();
    private List<String> dnsNames = List.of();
    private List<String> ipAddresses = List.of();
    private String ocspUrl;
    private String caIssuersUrl;
    private String crlUrl;

    SpecBuilder subject(String value) {
        subject = value;
        return this;
    }

    SpecBuilder publicKey(PublicKey value) {
        publicKey = value;
        return this;
    }

    SpecBuilder serial(BigInteger value) {
        serial = value;
        return this;
    }

    SpecBuilder validity(Instant from, Instant to) {
        notBefore = from;
        notAfter = to;
        return this;
    }

    SpecBuilder ca(Integer pathLen) {
        ca = true;
        pathLength = pathLen;
        return this;
    }

    SpecBuilder leaf() {
        ca = false;
        return this;
    }

    SpecBuilder pathLength(Integer value) {
        pathLength = value;
        return this;
    }

    SpecBuilder keyUsage(Set<KeyUsageBit> value) {
        keyUsage = value;
        return this;
    }

    SpecBuilder extendedKeyUsage(List<ExtendedKeyUsage> value) {
        extendedKeyUsage = value;
        return this;
    }

    SpecBuilder dnsNames(List<String> value) {
        dnsNames = value;
        return this;
    }

    SpecBuilder ipAddresses(List<String> value) {
        ipAddresses = value;
        return this;
    }

    SpecBuilder ocspUrl(String value) {
        ocspUrl = value;
        return this;
    }

    SpecBuilder caIssuersUrl(String value) {
        caIssuersUrl = value;
        return this;
    }

    SpecBuilder crlUrl(String value) {
        crlUrl = value;
        return this;
    }

    CertificateSpec build() {
        return new CertificateSpec(subject, publicKey, serial, notBefore, notAfter, ca, pathLength, keyUsage,
                extendedKeyUsage, dnsNames, ipAddresses, ocspUrl, caIssuersUrl, crlUrl);
    }
}
