package dev.certplane.acme.client.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Whether a dns-01 record has reached every authoritative nameserver of its zone. Recursive resolvers are
 * only used to find the zone and its nameservers; the record itself is asked of each nameserver directly,
 * since the CA may ask any of them and a cached negative answer elsewhere proves nothing.
 */
final class Propagation {

    /** What one authoritative nameserver answered. */
    record NameserverResult(String nameserver, boolean seen, String detail) {
    }

    private final List<InetSocketAddress> resolvers;
    private final int nameserverPort;

    Propagation(List<InetSocketAddress> resolvers, int nameserverPort) {
        this.resolvers = List.copyOf(resolvers);
        this.nameserverPort = nameserverPort;
    }

    List<NameserverResult> check(String fqdn, String value) throws DnsException {
        Name name = name(fqdn);
        Name zone = zone(name);
        List<NameserverResult> results = new ArrayList<>();
        for (org.xbill.DNS.Record ns : ask(resolver(), zone, Type.NS).getSection(Section.ANSWER)) {
            if (!(ns instanceof NSRecord record)) {
                continue;
            }
            String nameserver = record.getTarget().toString(true);
            InetAddress address = address(record.getTarget());
            if (address == null) {
                results.add(new NameserverResult(nameserver, false, "no address found for the nameserver"));
                continue;
            }
            SimpleResolver direct = new SimpleResolver(new InetSocketAddress(address, nameserverPort));
            direct.setTimeout(Duration.ofSeconds(5));
            String where = nameserver + " (" + address.getHostAddress() + ":" + nameserverPort + ")";
            try {
                List<String> values = ask(direct, name, Type.TXT).getSection(Section.ANSWER).stream()
                        .filter(r -> r instanceof TXTRecord).map(r -> String.join("", ((TXTRecord) r).getStrings()))
                        .toList();
                boolean seen = values.contains(value);
                results.add(new NameserverResult(where, seen, seen ? "has the record" : "has " + values));
            } catch (DnsException e) {
                results.add(new NameserverResult(where, false, e.getMessage()));
            }
        }
        if (results.isEmpty()) {
            throw new DnsException("no nameservers found for zone " + zone);
        }
        return results;
    }

    private Name zone(Name name) throws DnsException {
        Message response = ask(resolver(), name, Type.SOA);
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (org.xbill.DNS.Record record : response.getSection(section)) {
                if (record instanceof SOARecord) {
                    return record.getName();
                }
            }
        }
        throw new DnsException("no zone found for " + name + " (no SOA in the answer)");
    }

    private InetAddress address(Name host) throws DnsException {
        return ask(resolver(), host, Type.A).getSection(Section.ANSWER).stream().filter(r -> r instanceof ARecord)
                .map(r -> ((ARecord) r).getAddress()).findFirst().orElse(null);
    }

    private Resolver resolver() {
        Resolver resolver = resolvers.isEmpty() ? new ExtendedResolver()
                : new ExtendedResolver(resolvers.stream().map(a -> (Resolver) new SimpleResolver(a)).toList());
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver;
    }

    private static Message ask(Resolver resolver, Name name, int type) throws DnsException {
        try {
            return resolver.send(Message.newQuery(org.xbill.DNS.Record.newRecord(name, type, DClass.IN)));
        } catch (IOException e) {
            throw new DnsException("no answer looking up " + Type.string(type) + " for " + name + ": " + e.getMessage());
        }
    }

    private static Name name(String fqdn) throws DnsException {
        try {
            return Name.fromString(fqdn, Name.root);
        } catch (TextParseException e) {
            throw new DnsException("'" + fqdn + "' is not a DNS name");
        }
    }
}
