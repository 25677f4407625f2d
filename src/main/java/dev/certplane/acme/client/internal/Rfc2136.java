package dev.certplane.acme.client.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Publishing and removing dns-01 TXT records on a primary server by RFC 2136 dynamic update, signed with a
 * TSIG key (RFC 8945). The zone is the one the server says is authoritative for the name (its SOA).
 */
final class Rfc2136 implements DnsRecords {

    static final Map<String, Name> ALGORITHMS = Map.of("hmac-sha1", TSIG.HMAC_SHA1, "hmac-sha224", TSIG.HMAC_SHA224,
            "hmac-sha256", TSIG.HMAC_SHA256, "hmac-sha384", TSIG.HMAC_SHA384, "hmac-sha512", TSIG.HMAC_SHA512);
    private static final long TTL = 60;

    private final InetSocketAddress server;
    private final TSIG tsig;

    Rfc2136(InetSocketAddress server, String keyName, String algorithm, byte[] secret) {
        this.server = server;
        Name algorithmName = ALGORITHMS.get(algorithm.toLowerCase(Locale.ROOT));
        if (algorithmName == null) {
            throw new IllegalArgumentException("tsigAlgorithm '" + algorithm + "' is not one of "
                    + ALGORITHMS.keySet().stream().sorted().toList());
        }
        try {
            this.tsig = new TSIG(algorithmName, Name.fromString(keyName, Name.root), secret);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("tsigKeyName '" + keyName + "' is not a DNS name", e);
        }
    }

    @Override
    public String publish(String fqdn, String value) throws DnsException {
        Name name = name(fqdn);
        Name zone = zone(name);
        Update update = new Update(zone);
        update.add(new TXTRecord(name, DClass.IN, TTL, value));
        send(update, "adding TXT " + fqdn);
        return "published by dynamic update to " + server() + " (zone " + zone + ")";
    }

    @Override
    public String remove(String fqdn, String value) throws DnsException {
        Name name = name(fqdn);
        Name zone = zone(name);
        Update update = new Update(zone);
        update.delete(new TXTRecord(name, DClass.IN, 0, value));
        send(update, "removing TXT " + fqdn);
        return "removed by dynamic update to " + server() + " (zone " + zone + ")";
    }

    private Name zone(Name name) throws DnsException {
        Message response = send(Message.newQuery(org.xbill.DNS.Record.newRecord(name, Type.SOA, DClass.IN)),
                "looking up the zone of " + name);
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (org.xbill.DNS.Record record : response.getSection(section)) {
                if (record instanceof SOARecord) {
                    return record.getName();
                }
            }
        }
        throw new DnsException(server() + " is not authoritative for any zone containing " + name);
    }

    private Message send(Message message, String what) throws DnsException {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(Duration.ofSeconds(10));
        if (message instanceof Update) {
            resolver.setTSIGKey(tsig);
        }
        try {
            Message response = resolver.send(message);
            if (response.getRcode() != Rcode.NOERROR && response.getRcode() != Rcode.NXDOMAIN) {
                throw new DnsException(server() + " refused " + what + ": " + Rcode.string(response.getRcode()));
            }
            return response;
        } catch (IOException e) {
            throw new DnsException(server() + " did not answer " + what + ": " + e.getMessage());
        }
    }

    private String server() {
        return server.getAddress().getHostAddress() + ":" + server.getPort();
    }

    private static Name name(String fqdn) throws DnsException {
        try {
            return Name.fromString(fqdn, Name.root);
        } catch (TextParseException e) {
            throw new DnsException("'" + fqdn + "' is not a DNS name");
        }
    }
}
