package dev.certplane.acme.server.internal.validation;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.ProblemType;

/**
 * Finding and reaching the host an HTTP-01 or TLS-ALPN-01 check talks to: its addresses (an IP identifier is
 * its own address), the address policy, and a connection to the first allowed address that answers.
 */
final class Targets {

    private final AddressPolicy policy;
    private final Connector connector;
    private final Duration connectTimeout;

    Targets(AddressPolicy policy, Connector connector, Duration connectTimeout) {
        this.policy = policy;
        this.connector = connector;
        this.connectTimeout = connectTimeout;
    }

    /** @param host a canonical DNS name or IP literal */
    Socket connect(String host, int port, Dns dns, Deadline deadline, List<String> record) {
        List<InetAddress> addresses = isIp(host) ? List.of(Cidr.literal(host)) : dns.addresses(host, deadline, record);
        List<String> refusals = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                record.add("not connecting to " + refusal.get());
                refusals.add(refusal.get());
                continue;
            }
            String target = hostPort(Cidr.text(address), port);
            try {
                Socket socket = connector.connect(new InetSocketAddress(address, port), deadline.capMillis(connectTimeout));
                record.add("connected to " + target);
                return socket;
            } catch (SocketTimeoutException e) {
                failures.add(target + ": no connection within " + connectTimeout.toMillis() + " ms");
            } catch (IOException e) {
                failures.add(target + ": " + e.getMessage());
            }
            record.add("could not connect to " + failures.get(failures.size() - 1));
            if (deadline.passed()) {
                throw deadline.expired();
            }
        }
        if (failures.isEmpty()) {
            throw new ValidationFailure(ProblemType.CONNECTION, "refusing to validate " + host + ": "
                    + String.join("; ", refusals));
        }
        throw new ValidationFailure(ProblemType.CONNECTION, "could not connect to " + host + " on port " + port + " ("
                + String.join("; ", failures) + (refusals.isEmpty() ? "" : "; not tried: " + String.join("; ", refusals))
                + ")");
    }

    static boolean isIp(String host) {
        return org.bouncycastle.util.IPAddress.isValidIPv4(host) || org.bouncycastle.util.IPAddress.isValidIPv6(host);
    }

    /** {@code host:port}, with an IPv6 address in brackets (RFC 3986 3.2.2). */
    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The DNS name an IP identifier is known by in TLS SNI (RFC 8738 6): its reverse mapping name. */
    static String reverseName(String ip) {
        InetAddress address = Cidr.literal(ip);
        byte[] bytes = address.getAddress();
        StringBuilder name = new StringBuilder();
        if (address instanceof Inet6Address) {
            for (int i = bytes.length - 1; i >= 0; i--) {
                name.append(Character.forDigit(bytes[i] & 0xf, 16)).append('.')
                        .append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append('.');
            }
            return name.append("ip6.arpa").toString();
        }
        for (int i = bytes.length - 1; i >= 0; i--) {
            name.append(bytes[i] & 0xff).append('.');
        }
        return name.append("in-addr.arpa").toString();
    }

    static boolean isIpIdentifier(Identifier identifier) {
        return identifier.type().equals(Identifier.IP);
    }
}
