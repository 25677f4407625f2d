package dev.certplane.pki;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Pre-signing checks on a spec against its issuer (Boulder lints before it signs; so do we). Each
 * finding is a sentence naming the field, the offending value and, where there is one, the rule's
 * source. The linter never throws for a bad spec: every problem becomes a finding, so one pass
 * reports them all.
 */
public final class CertificateLinter {

    /** RFC 5280 4.1.2.2: conforming CAs MUST NOT use serial numbers longer than 20 octets. */
    private static final int MAX_SERIAL_OCTETS = 20;
    private static final int MIN_RSA_BITS = 2048;
    /** RFC 1035 2.3.4: 255 octets on the wire is 253 characters of dotted text. */
    private static final int MAX_HOSTNAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private CertificateLinter() {
    }

    /**
     * The problems with {@code spec} when issued by {@code issuerCertificate} ({@code null} for a
     * self-signed root); empty means it may be signed. Validity is judged in whole seconds, as it
     * will be encoded.
     */
    public static List<String> lint(CertificateSpec spec, @Nullable X509Certificate issuerCertificate) {
        List<String> findings = new ArrayList<>();
        lintSerial(spec.serial(), findings);
        lintValidity(spec, issuerCertificate, findings);
        lintSubject(spec, findings);
        lintPublicKey(spec, findings);
        if (spec.ca()) {
            lintCa(spec, issuerCertificate, findings);
        } else {
            lintLeaf(spec, findings);
        }
        lintNames(spec, findings);
        lintUrl("ocspUrl", spec.ocspUrl(), findings);
        lintUrl("caIssuersUrl", spec.caIssuersUrl(), findings);
        lintUrl("crlUrl", spec.crlUrl(), findings);
        if (issuerCertificate != null) {
            lintIssuer(issuerCertificate, findings);
        }
        return List.copyOf(findings);
    }

    /**
     * Throws unless {@link #lint} finds nothing.
     *
     * @throws PkiException {@code "certificate lint failed: "} followed by the findings joined with {@code "; "}
     */
    public static void requireClean(CertificateSpec spec, @Nullable X509Certificate issuerCertificate) {
        List<String> findings = lint(spec, issuerCertificate);
        if (!findings.isEmpty()) {
            throw new PkiException("certificate lint failed: " + String.join("; ", findings));
        }
    }

    /**
     * Why {@code name} is not an acceptable dNSName, or {@code null} if it is: lowercase LDH labels
     * (RFC 1123 2.1) of 1 to 63 characters, at most 253 characters in all, optionally preceded by one
     * whole-label wildcard {@code *.}. Single-label names such as {@code localhost} are allowed
     * because private CAs issue them; dotted-quad IPv4 text is not, as it belongs in iPAddress.
     */
    static @Nullable String hostnameProblem(String name) {
        if (name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > MAX_HOSTNAME_LENGTH) {
            return "it is " + name.length() + " characters long; at most " + MAX_HOSTNAME_LENGTH + " are allowed (RFC 1035 2.3.4)";
        }
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            return "it must be lowercase";
        }
        String rest = name.startsWith("*.") ? name.substring(2) : name;
        if (rest.isEmpty()) {
            return "a wildcard needs at least one label after \"*.\"";
        }
        for (String label : rest.split("\\.", -1)) {
            String problem = labelProblem(label);
            if (problem != null) {
                return problem;
            }
        }
        if (AltNames.ipOctets(name).isPresent()) {
            return "it is an IP address; put it in ipAddresses";
        }
        return null;
    }

    private static @Nullable String labelProblem(String label) {
        if (label.isEmpty()) {
            return "it has an empty label";
        }
        if (label.length() > MAX_LABEL_LENGTH) {
            return "label \"" + label + "\" is " + label.length() + " characters; at most " + MAX_LABEL_LENGTH
                    + " are allowed (RFC 1035 2.3.4)";
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c == '*') {
                return "a wildcard '*' is only allowed as the whole leftmost label";
            }
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-') {
                return String.format("label \"%s\" contains '%s' (U+%04X); only a-z, 0-9 and '-' are allowed (RFC 1123 2.1)",
                        label, c, (int) c);
            }
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            return "label \"" + label + "\" starts or ends with '-' (RFC 1123 2.1)";
        }
        return null;
    }

    private static void lintSerial(BigInteger serial, List<String> findings) {
        if (serial.signum() <= 0) {
            findings.add("serial must be positive (RFC 5280 4.1.2.2), was " + serial);
            return;
        }
        int octets = serial.toByteArray().length;
        if (octets > MAX_SERIAL_OCTETS) {
            findings.add("serial is " + octets + " octets; RFC 5280 4.1.2.2 allows at most " + MAX_SERIAL_OCTETS);
        }
        if (serial.bitLength() < Serials.MIN_BITS) {
            findings.add("serial has only " + serial.bitLength() + " bits; at least " + Serials.MIN_BITS
                    + " bits of CSPRNG output are required (CA/B Baseline Requirements 7.1)");
        }
    }

    private static void lintValidity(CertificateSpec spec, @Nullable X509Certificate issuer, List<String> findings) {
        Instant notBefore = spec.notBefore().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = spec.notAfter().truncatedTo(ChronoUnit.SECONDS);
        if (!notBefore.isBefore(notAfter)) {
            findings.add("notBefore " + notBefore + " is not before notAfter " + notAfter);
        }
        if (issuer != null) {
            // RFC 5280 6.1.3 does not require nesting, but a certificate outliving its issuer fails
            // validation for that remainder anyway, so it is a mistake whenever it happens.
            Instant issuerNotBefore = issuer.getNotBefore().toInstant();
            Instant issuerNotAfter = issuer.getNotAfter().toInstant();
            if (notBefore.isBefore(issuerNotBefore)) {
                findings.add("validity starts before the issuer's (" + notBefore + " < " + issuerNotBefore + ")");
            }
            if (notAfter.isAfter(issuerNotAfter)) {
                findings.add("validity ends after the issuer's (" + notAfter + " > " + issuerNotAfter + ")");
            }
        }
    }

    private static void lintSubject(CertificateSpec spec, List<String> findings) {
        try {
            CertificateSigner.x500Name(spec.subject());
        } catch (PkiException e) {
            findings.add(e.getMessage());
        }
    }

    private static void lintPublicKey(CertificateSpec spec, List<String> findings) {
        PublicKey key = spec.publicKey();
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                findings.add("RSA key is " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
            }
        } else if (key instanceof ECPublicKey ec) {
            try {
                if (KeyType.ofCurve(ec).isEmpty()) {
                    findings.add("EC key is on curve " + KeyType.namedCurve(ec).getId() + "; only P-256 and P-384 are allowed");
                }
            } catch (PkiException e) {
                findings.add(e.getMessage());
            }
            // RFC 5480 3: an id-ecPublicKey certificate may assert digitalSignature, nonRepudiation,
            // keyAgreement and the CA bits; an ECDSA key cannot encipher a key.
            if (spec.keyUsage().contains(KeyUsageBit.KEY_ENCIPHERMENT)) {
                findings.add("KEY_ENCIPHERMENT is not a valid key usage for an EC key (RFC 5480 3)");
            }
        } else {
            findings.add("public key algorithm " + key.getAlgorithm() + " is not allowed; expected RSA or EC");
        }
    }

    private static void lintCa(CertificateSpec spec, @Nullable X509Certificate issuer, List<String> findings) {
        if (!spec.keyUsage().contains(KeyUsageBit.KEY_CERT_SIGN)) {
            findings.add("CA certificate lacks KEY_CERT_SIGN key usage (RFC 5280 4.2.1.3)");
        }
        if (spec.subject().isBlank()) {
            findings.add("CA certificate must have a non-empty subject (RFC 5280 4.1.2.6)");
        }
        Integer pathLength = spec.pathLength();
        if (pathLength != null && pathLength < 0) {
            findings.add("pathLength must not be negative, was " + pathLength);
        }
        if (issuer == null) {
            return;
        }
        int issuerPathLength = issuer.getBasicConstraints();
        if (issuerPathLength < 0) {
            return; // reported by lintIssuer
        }
        // RFC 5280 4.2.1.9: pathLenConstraint counts the CA certificates that may follow the issuer.
        if (issuerPathLength == 0) {
            findings.add("issuer's pathLength 0 does not allow another CA below it (RFC 5280 4.2.1.9)");
        } else if (issuerPathLength != Integer.MAX_VALUE && (pathLength == null || pathLength >= issuerPathLength)) {
            // Validators take the minimum anyway, so a larger value would only misstate what this CA may do.
            findings.add("pathLength " + (pathLength == null ? "unlimited" : pathLength) + " is not below the issuer's pathLength "
                    + issuerPathLength + " (RFC 5280 4.2.1.9)");
        }
    }

    private static void lintLeaf(CertificateSpec spec, List<String> findings) {
        if (spec.dnsNames().isEmpty() && spec.ipAddresses().isEmpty()) {
            findings.add("leaf certificate has no SAN; at least one dNSName or iPAddress is required");
        }
        if (spec.keyUsage().contains(KeyUsageBit.KEY_CERT_SIGN)) {
            findings.add("leaf certificate must not have KEY_CERT_SIGN key usage (RFC 5280 4.2.1.3: only with cA TRUE)");
        }
        if (spec.keyUsage().contains(KeyUsageBit.CRL_SIGN)) {
            findings.add("leaf certificate must not have CRL_SIGN key usage");
        }
        if (spec.pathLength() != null) {
            findings.add("pathLength is set on a non-CA certificate (RFC 5280 4.2.1.9)");
        }
    }

    private static void lintNames(CertificateSpec spec, List<String> findings) {
        Set<String> seen = new HashSet<>();
        for (String dns : spec.dnsNames()) {
            String problem = hostnameProblem(dns);
            if (problem != null) {
                findings.add("dNSName \"" + dns + "\" is not a valid hostname: " + problem);
            }
            if (!seen.add(dns)) {
                findings.add("dNSName \"" + dns + "\" appears more than once");
            }
        }
        Set<String> seenIps = new HashSet<>();
        for (String ip : spec.ipAddresses()) {
            if (AltNames.ipOctets(ip).isEmpty()) {
                findings.add("iPAddress \"" + ip + "\" is not an IPv4 or IPv6 literal");
            }
            if (!seenIps.add(ip)) {
                findings.add("iPAddress \"" + ip + "\" appears more than once");
            }
        }
    }

    private static void lintUrl(String field, @Nullable String url, List<String> findings) {
        if (url == null) {
            return;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null
                    && url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        findings.add(field + " \"" + url + "\" is not an absolute http or https URL of ASCII characters");
    }

    private static void lintIssuer(X509Certificate issuer, List<String> findings) {
        if (issuer.getBasicConstraints() < 0) {
            findings.add("issuer " + issuer.getSubjectX500Principal().getName() + " is not a CA (basicConstraints cA is not TRUE)");
        }
        boolean[] usage = issuer.getKeyUsage();
        // Index 5 is keyCertSign in the RFC 5280 4.2.1.3 KeyUsage BIT STRING.
        if (usage != null && (usage.length <= 5 || !usage[5])) {
            findings.add("issuer's keyUsage lacks keyCertSign (RFC 5280 4.2.1.3)");
        }
    }
}
