package dev.certplane.handshake;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.util.IPAddress;
import org.jspecify.annotations.Nullable;

/** Host names, IP literals and SNI names as scan and probe targets take them; nothing here resolves a name. */
public final class Hosts {

    private Hosts() {
    }

    /**
     * The 4 or 16 octets of an IP literal, or empty if {@code text} is not one. IPv4 is dotted-quad without
     * leading zeros, because some resolvers read {@code 010} as octal and others as decimal.
     */
    public static Optional<byte[]> ipOctets(String text) {
        if (text.indexOf(':') >= 0) {
            if (!IPAddress.isValidIPv6(text)) {
                return Optional.empty();
            }
            try {
                // A validated IPv6 literal is parsed, never looked up.
                return Optional.of(InetAddress.getByName(text).getAddress()).filter(octets -> octets.length == 16);
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] octets = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
                return Optional.empty();
            }
            octets[i] = (byte) Integer.parseInt(part);
        }
        return Optional.of(octets);
    }

    /** The usual text of an address: dotted-quad, or uncompressed IPv6 as the inventory shows SAN addresses. */
    public static String text(byte[] octets) {
        try {
            return InetAddress.getByAddress(octets).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 octets, not " + octets.length, e);
        }
    }

    /** The host as stored: an IP literal in its usual text, or a DNS name in lower case. */
    public static String host(String text, String what) {
        Optional<byte[]> ip = ipOctets(text);
        if (ip.isPresent()) {
            return text(ip.get());
        }
        String name = text.toLowerCase(Locale.ROOT);
        String problem = dnsNameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(what + ": host '" + text + "' is not an IP address or a DNS name: "
                    + problem);
        }
        return name;
    }

    /**
     * Why a lowercase name is not a host name, or {@code null}: LDH labels (RFC 1123 2.1) of 1 to 63
     * characters, at most 253 in all, and a last label that is not all digits (that would be a mistyped
     * IPv4 address such as {@code 300.1.1.1}).
     */
    public static @Nullable String dnsNameProblem(String name) {
        if (name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > 253) {
            return "it is " + name.length() + " characters long; at most 253 are allowed (RFC 1035 2.3.4)";
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) {
                return "label '" + label + "' must have 1 to 63 characters (RFC 1035 2.3.4)";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-') {
                    return "label '" + label + "' contains '" + c + "'; only a-z, 0-9 and '-' are allowed (RFC 1123 2.1)";
                }
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return "label '" + label + "' starts or ends with '-' (RFC 1123 2.1)";
            }
        }
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            return "its last label is all digits, which no DNS name has (an IPv4 address has four parts of 0 to 255)";
        }
        return null;
    }

    /**
     * The server name to send, in lower case, or {@code null} for a blank one.
     *
     * @throws IllegalArgumentException if it is an IP address ({@code server_name} carries only DNS names, RFC 6066
     *     3) or not a DNS name
     */
    public static @Nullable String sni(@Nullable String sni) {
        if (sni == null || sni.isBlank()) {
            return null;
        }
        String name = sni.strip().toLowerCase(Locale.ROOT);
        if (ipOctets(name).isPresent()) {
            throw new IllegalArgumentException("sni '" + sni + "' is an IP address; server_name carries only DNS names"
                    + " (RFC 6066 3)");
        }
        String problem = dnsNameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("sni '" + sni + "' is not a DNS name: " + problem);
        }
        return name;
    }
}
