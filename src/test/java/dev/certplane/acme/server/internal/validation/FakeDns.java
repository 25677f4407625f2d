package dev.certplane.acme.server.internal.validation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An in-memory {@link Dns}: records by name and type, CNAMEs followed as a resolver would, NXDOMAIN for names
 * that have nothing, and every question asked kept in {@link #queries}.
 */
final class FakeDns implements Dns {

    private final String description;
    private final Map<String, List<org.xbill.DNS.Record>> records = new HashMap<>();
    private final Map<String, String> cnames = new HashMap<>();
    private final Set<String> existing = new HashSet<>();
    /** "name TYPE" for each query, in order. */
    final List<String> queries = new ArrayList<>();

    FakeDns(String description) {
        this.description = description;
    }

    FakeDns a(String name, String... addresses) {
        for (String address : addresses) {
            add(name, new ARecord(name(name), DClass.IN, 300, literal(address)));
        }
        return this;
    }

    FakeDns aaaa(String name, String... addresses) {
        for (String address : addresses) {
            add(name, new AAAARecord(name(name), DClass.IN, 300, literal(address)));
        }
        return this;
    }

    /** One TXT record per value. */
    FakeDns txt(String name, String... values) {
        for (String value : values) {
            txtStrings(name, value);
        }
        return this;
    }

    /** One TXT record made of several character-strings. */
    FakeDns txtStrings(String name, String... strings) {
        add(name, new TXTRecord(name(name), DClass.IN, 300, List.of(strings)));
        return this;
    }

    FakeDns caa(String name, int flags, String tag, String value) {
        add(name, new CAARecord(name(name), DClass.IN, 300, flags, tag, value));
        return this;
    }

    FakeDns cname(String name, String target) {
        cnames.put(key(name), key(target));
        existing.add(key(name));
        return this;
    }

    /** A name that exists but has no records of the types asked (NOERROR, empty answer). */
    FakeDns exists(String name) {
        existing.add(key(name));
        return this;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Answer query(String name, int type, Deadline deadline) {
        // Like a real lookup, none starts once the deadline has passed.
        deadline.cap(Duration.ofSeconds(1));
        queries.add(key(name) + " " + Type.string(type));
        String current = key(name);
        List<String> followed = new ArrayList<>();
        while (cnames.containsKey(current) && type != Type.CNAME) {
            current = cnames.get(current);
            followed.add(current);
            if (followed.size() > DnsJavaResolver.MAX_CNAMES) {
                throw new IllegalStateException("CNAME loop in the fake: " + followed);
            }
        }
        if (!existing.contains(current)) {
            return new Answer(name, Rcode.NXDOMAIN, followed, List.of());
        }
        List<org.xbill.DNS.Record> matching = records.getOrDefault(current, List.of()).stream()
                .filter(r -> r.getType() == type).toList();
        return new Answer(name, Rcode.NOERROR, followed, matching);
    }

    private void add(String name, org.xbill.DNS.Record record) {
        records.computeIfAbsent(key(name), k -> new ArrayList<>()).add(record);
        existing.add(key(name));
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static Name name(String name) {
        try {
            return Name.fromString(key(name) + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
