package dev.certplane.acme.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.bouncycastle.util.IPAddress;

/**
 * An ACME identifier (RFC 8555 9.7.7): a DNS name, possibly a wildcard, or an IP address (RFC 8738).
 * Instances are always valid and canonical: DNS names in lower case without a trailing dot, IP addresses
 * in their shortest text form (RFC 5952 for IPv6), so two spellings of one address compare equal.
 */
public record Identifier(String type, String value) {

    public static final String DNS = "dns";
    public static final String IP = "ip";

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    /**
     * Validates and canonicalises an identifier from a client.
     *
     * @throws AcmeProblem {@code unsupportedIdentifier} for an unknown type, {@code rejectedIdentifier}
     *     naming what is wrong with the value
     */
    public static Identifier of(String type, String value) {
        return switch (type) {
            case DNS -> dns(value);
            case IP -> ip(value);
            default -> throw AcmeProblem.of(ProblemType.UNSUPPORTED_IDENTIFIER,
                    "identifier type \"" + type + "\" is not supported; use \"dns\" or \"ip\"");
        };
    }

    public static Identifier dns(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        // Checked before lower-casing, which maps the Kelvin sign (U+212A) to an ASCII "k".
        String problem = name.chars().allMatch(c -> c < 0x80) ? dnsNameProblem(lower)
                : "it has non-ASCII characters; send an internationalized name in its A-label (xn--) form";
        if (problem != null) {
            throw AcmeProblem.of(ProblemType.REJECTED_IDENTIFIER, "\"" + name + "\" is not a valid DNS name: " + problem);
        }
        return new Identifier(DNS, lower);
    }

    public static Identifier ip(String address) {
        // RFC 8738 3: the value is the textual form of the address; no zone ids, no brackets, no host names.
        if (!IPAddress.isValidIPv4(address) && !IPAddress.isValidIPv6(address)) {
            throw AcmeProblem.of(ProblemType.REJECTED_IDENTIFIER,
                    "\"" + address + "\" is not an IPv4 or IPv6 address in textual form (RFC 8738)");
        }
        return new Identifier(IP, canonicalIp(address));
    }

    /** The shortest text form of a literal address; never resolves a name. */
    public static String canonicalIp(String literal) {
        byte[] bytes;
        try {
            // A literal never triggers a lookup: callers validated it with IPAddress first.
            bytes = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw AcmeProblem.of(ProblemType.REJECTED_IDENTIFIER, "\"" + literal + "\" is not an IP address");
        }
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        return rfc5952(bytes);
    }

    public boolean isWildcard() {
        return type.equals(DNS) && value.startsWith("*.");
    }

    /** For {@code *.example.com} the base {@code example.com}; otherwise the value. */
    public String baseName() {
        return isWildcard() ? value.substring(2) : value;
    }

    private static String dnsNameProblem(String name) {
        if (name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > 253) {
            return "it is longer than 253 characters";
        }
        if (name.endsWith(".")) {
            return "it must not end with a dot";
        }
        String[] labels = name.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (i == 0 && label.equals("*")) {
                if (labels.length < 3) {
                    return "a wildcard needs at least two labels after \"*.\"";
                }
                continue;
            }
            if (label.contains("*")) {
                return "a wildcard is allowed only as the whole leftmost label";
            }
            if (label.isEmpty()) {
                return "it has an empty label";
            }
            if (!LABEL.matcher(label).matches()) {
                return "label \"" + label + "\" must be 1 to 63 letters, digits or hyphens, not starting or ending"
                        + " with a hyphen";
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return "its last label is all digits; use an \"ip\" identifier for addresses";
        }
        return null;
    }

    /** RFC 5952 4: lower-case hex, no leading zeros, the longest run (first if tied) of two or more zero groups as "::". */
    private static String rfc5952(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
