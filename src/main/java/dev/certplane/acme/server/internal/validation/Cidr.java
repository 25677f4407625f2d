package dev.certplane.acme.server.internal.validation;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import dev.certplane.acme.protocol.Identifier;

import org.bouncycastle.util.IPAddress;

/** An IPv4 or IPv6 network in CIDR notation (RFC 4632, RFC 4291 2.3): profile IP ranges and validation networks. */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = network.clone();
    }

    /** @throws IllegalArgumentException starting with the quoted text, saying what is wrong with it */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!IPAddress.isValidIPv4(address) && !IPAddress.isValidIPv6(address)) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR such as 10.0.0.0/8 or fd00::/8");
        }
        byte[] bytes = bytes(address);
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bytes.length * 8);
            }
        }
        return new Cidr(mask(bytes, prefix), prefix);
    }

    /** @param literal a validated IP address literal */
    public boolean contains(String literal) {
        return contains(bytes(literal));
    }

    public boolean contains(byte[] address) {
        return address.length == network.length && Arrays.equals(mask(address, prefix), network);
    }

    public String text() {
        try {
            return text(InetAddress.getByAddress(network)) + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An address as identifiers and errors show it: the shortest form, RFC 5952 for IPv6 ("::1", where
     * {@link InetAddress#getHostAddress} says "0:0:0:0:0:0:0:1").
     */
    static String text(InetAddress address) {
        return Identifier.canonicalIp(address.getHostAddress());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return text();
    }

    private static byte[] bytes(String literal) {
        return literal(literal).getAddress();
    }

    /** The address of a validated IP literal; never looks a name up. */
    static InetAddress literal(String literal) {
        if (!IPAddress.isValidIPv4(literal) && !IPAddress.isValidIPv6(literal)) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address", e);
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        BigInteger value = new BigInteger(1, address);
        int bits = address.length * 8;
        BigInteger masked = value.shiftRight(bits - prefix).shiftLeft(bits - prefix);
        byte[] raw = masked.toByteArray();
        byte[] out = new byte[address.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        return out;
    }
}
