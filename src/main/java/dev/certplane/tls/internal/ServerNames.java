package dev.certplane.tls.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names Certplane's own certificate covers: {@code localhost}, the loopback addresses, the external
 * URL's host and the configured names, normalised so they compare equal to what a certificate's SANs say.
 */
record ServerNames(List<String> dnsNames, List<String> ipAddresses) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    ServerNames {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    static ServerNames of(URI externalUrl, List<String> configured) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", normalize("::1")));
        String host = externalUrl.getHost();
        if (host != null) {
            names.add(normalize(host.startsWith("[") ? host.substring(1, host.length() - 1) : host));
        }
        configured.forEach(name -> names.add(normalize(name)));
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        names.forEach(name -> (isIp(name) ? ips : dns).add(name));
        return new ServerNames(dns, ips);
    }

    List<String> all() {
        List<String> all = new ArrayList<>(dnsNames);
        all.addAll(ipAddresses);
        return all;
    }

    /** Lower-case DNS names; IP addresses in the form certificates report them ({@code 0:0:0:0:0:0:0:1}). */
    static String normalize(String name) {
        if (!isIp(name)) {
            return name.toLowerCase(Locale.ROOT);
        }
        try {
            // A literal is parsed, never looked up.
            return InetAddress.getByName(name).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + name + "' is not an IP address", e);
        }
    }

    private static boolean isIp(String name) {
        return name.contains(":") || IPV4.matcher(name).matches();
    }
}
