package dev.certplane.pki;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a certificate's subjectAltName covers the name a TLS client checks (RFC 6125 6.4, as browsers apply it):
 * DNS names compare without regard to case, a wildcard is the whole leftmost label of a name with at least two
 * more labels and stands for exactly one label, and an IP address matches only an iPAddress entry. The subject's
 * common name is never consulted (RFC 6125 6.4.4 allows it only without DNS entries; browsers dropped it).
 */
public final class HostnameMatch {

    private HostnameMatch() {
    }

    /**
     * @param dnsNames the certificate's dNSName entries
     * @param ipAddresses its iPAddress entries, as {@link CertificateFacts} gives them
     * @param host a DNS name or an IP literal
     */
    public static boolean covers(List<String> dnsNames, List<String> ipAddresses, String host) {
        Optional<byte[]> ip = AltNames.ipOctets(host);
        if (ip.isPresent()) {
            return ipAddresses.stream().map(AltNames::ipOctets)
                    .anyMatch(entry -> entry.isPresent() && Arrays.equals(entry.get(), ip.get()));
        }
        String name = trimDot(host.toLowerCase(Locale.ROOT));
        return !name.isEmpty() && dnsNames.stream().anyMatch(entry -> matches(trimDot(entry.toLowerCase(Locale.ROOT)), name));
    }

    private static boolean matches(String pattern, String name) {
        if (!pattern.startsWith("*.")) {
            return pattern.equals(name);
        }
        String suffix = pattern.substring(1);
        if (suffix.indexOf('.', 1) < 0 || suffix.indexOf('*') >= 0) {
            return false; // "*.com" or a second wildcard: no client honours these
        }
        int firstDot = name.indexOf('.');
        return firstDot > 0 && name.substring(firstDot).equals(suffix);
    }

    /** {@code example.com.} and {@code example.com} are the same name. */
    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
