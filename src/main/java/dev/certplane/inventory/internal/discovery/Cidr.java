package dev.certplane.inventory.internal.discovery;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.certplane.handshake.Hosts;

/**
 * An address range a target scans (RFC 4632 notation, and RFC 4291 2.3 for IPv6), small enough for one run:
 * at most 4096 addresses, that is IPv4 /20 and IPv6 /116 or narrower.
 */
record Cidr(byte[] network, int prefix) {

    static final int MIN_IPV4_PREFIX = 20;
    static final int MIN_IPV6_PREFIX = 116;

    Cidr {
        network = network.clone();
    }

    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("cidr '" + text + "' needs a prefix length, such as 192.0.2.0/24");
        }
        String address = text.substring(0, slash);
        String length = text.substring(slash + 1);
        byte[] octets = Hosts.ipOctets(address).orElseThrow(() -> new IllegalArgumentException(
                "cidr '" + text + "': '" + address + "' is not an IPv4 or IPv6 address"));
        int bits = octets.length * 8;
        if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("cidr '" + text + "': the prefix length '" + length
                    + "' is not a number from 0 to " + bits);
        }
        int prefix = Integer.parseInt(length);
        if (prefix > bits) {
            throw new IllegalArgumentException("cidr '" + text + "': the prefix length " + prefix + " is more than "
                    + bits);
        }
        int min = bits == 32 ? MIN_IPV4_PREFIX : MIN_IPV6_PREFIX;
        if (prefix < min) {
            throw new IllegalArgumentException("cidr '" + text + "' covers " + BigInteger.ONE.shiftLeft(bits - prefix)
                    + " addresses; a target scans at most 4096, so /" + min + " or narrower for "
                    + (bits == 32 ? "IPv4" : "IPv6"));
        }
        BigInteger value = new BigInteger(1, octets);
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        if (value.and(hostMask).signum() != 0) {
            String network = Hosts.text(octets(value.andNot(hostMask), octets.length));
            throw new IllegalArgumentException("cidr '" + text + "' has host bits set; the network is " + network
                    + "/" + prefix);
        }
        return new Cidr(octets, prefix);
    }

    /**
     * Every address to connect to. An IPv4 range of four or more addresses leaves out its network and broadcast
     * addresses, which no server listens on (RFC 3021 makes /31 the exception, so /31 and /32 keep all).
     */
    List<String> addresses() {
        int bits = network.length * 8;
        BigInteger first = new BigInteger(1, network);
        int count = 1 << (bits - prefix);
        int skip = bits == 32 && prefix <= 30 ? 1 : 0;
        List<String> addresses = new ArrayList<>(count);
        for (int i = skip; i < count - skip; i++) {
            addresses.add(Hosts.text(octets(first.add(BigInteger.valueOf(i)), network.length)));
        }
        return addresses;
    }

    @Override
    public String toString() {
        return Hosts.text(network) + "/" + prefix;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    private static byte[] octets(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] octets = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, octets, length - copy, copy);
        return octets;
    }
}
