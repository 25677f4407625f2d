package dev.certplane.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/**
 * The dNSName and iPAddress entries of a subjectAltName (RFC 5280 4.2.1.6), in both directions.
 * Other GeneralName types are ignored on reading: Certplane issues only DNS and IP names.
 */
record AltNames(List<String> dnsNames, List<String> ipAddresses) {

    AltNames {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    static AltNames read(GeneralNames names) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (GeneralName name : names.getNames()) {
            if (name.getTagNo() == GeneralName.dNSName) {
                dns.add(DERIA5String.getInstance(name.getName()).getString());
            } else if (name.getTagNo() == GeneralName.iPAddress) {
                ips.add(ipText(ASN1OctetString.getInstance(name.getName()).getOctets()));
            }
        }
        return new AltNames(dns, ips);
    }

    /** The SAN value for these names; every IP must already be a valid literal. */
    GeneralNames toGeneralNames() {
        List<GeneralName> names = new ArrayList<>(dnsNames.size() + ipAddresses.size());
        for (String dns : dnsNames) {
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (String ip : ipAddresses) {
            byte[] octets = ipOctets(ip)
                    .orElseThrow(() -> new PkiException("iPAddress \"" + ip + "\" is not an IPv4 or IPv6 literal"));
            names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(octets)));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    boolean isEmpty() {
        return dnsNames.isEmpty() && ipAddresses.isEmpty();
    }

    /**
     * The 4 or 16 network-order octets of an IP literal, or empty if {@code text} is not one. Never
     * resolves names. IPv4 is dotted-quad with no leading zeros, because some parsers read
     * {@code 010} as octal and others as decimal.
     */
    static Optional<byte[]> ipOctets(String text) {
        if (text.indexOf(':') >= 0) {
            // IPAddress accepts "::" compression and an embedded IPv4 tail; reject a "/prefix" or "%zone".
            if (!IPAddress.isValidIPv6(text)) {
                return Optional.empty();
            }
            byte[] octets = ASN1OctetString.getInstance(new GeneralName(GeneralName.iPAddress, text).getName()).getOctets();
            return octets.length == 16 ? Optional.of(octets) : Optional.empty();
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] octets = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                char c = part.charAt(j);
                if (c < '0' || c > '9') {
                    return Optional.empty();
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return Optional.empty();
            }
            octets[i] = (byte) value;
        }
        return Optional.of(octets);
    }

    /** {@link InetAddress#getHostAddress()} text; IPv6 comes out uncompressed, e.g. {@code 2001:db8:0:0:0:0:0:1}. */
    private static String ipText(byte[] octets) {
        if (octets.length != 4 && octets.length != 16) {
            throw new PkiException("iPAddress SAN entry has " + octets.length + " octets; expected 4 (IPv4) or 16 (IPv6)");
        }
        try {
            // getByAddress never performs a lookup; it only wraps the octets.
            return InetAddress.getByAddress(octets).getHostAddress();
        } catch (UnknownHostException e) {
            throw new PkiException("iPAddress SAN entry has an invalid length: " + e.getMessage(), e);
        }
    }
}
