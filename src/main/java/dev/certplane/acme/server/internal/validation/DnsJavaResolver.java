package dev.certplane.acme.server.internal.validation;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.certplane.acme.protocol.ProblemType;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@link Dns} through dnsjava, asking the configured resolvers (or the system's) directly, without a cache:
 * a client that has just published a record must be seen at once, and a stale answer could validate a record
 * that is gone.
 */
final class DnsJavaResolver implements Dns {

    /** More CNAMEs in a row than any real set-up uses; a longer chain is a loop or an attack. */
    static final int MAX_CNAMES = 8;

    private final List<InetSocketAddress> servers;
    private final Duration timeout;

    /** @param servers empty: the resolvers of the system configuration */
    DnsJavaResolver(List<InetSocketAddress> servers, Duration timeout) {
        this.servers = List.copyOf(servers);
        this.timeout = timeout;
    }

    @Override
    public String describe() {
        return servers.isEmpty() ? "of the system" : String.join(", ", servers.stream()
                .map(s -> Targets.hostPort(Cidr.text(s.getAddress()), s.getPort())).toList());
    }

    @Override
    public Answer query(String name, int type, Deadline deadline) {
        Name current;
        try {
            current = Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new ValidationFailure(ProblemType.DNS, "DNS problem: \"" + name + "\" is not a DNS name");
        }
        List<String> cnames = new ArrayList<>();
        while (true) {
            Message response = send(current, type, deadline);
            int rcode = response.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return new Answer(name, rcode, cnames, List.of());
            }
            if (rcode != Rcode.NOERROR) {
                throw new ValidationFailure(ProblemType.DNS, "DNS problem: " + Rcode.string(rcode) + " looking up "
                        + Type.string(type) + " for " + text(current) + " (resolvers " + describe() + ")");
            }
            List<org.xbill.DNS.Record> answers = response.getSection(Section.ANSWER);
            boolean followedHere = false;
            while (true) {
                Name owner = current;
                List<org.xbill.DNS.Record> matching = answers.stream()
                        .filter(r -> r.getType() == type && r.getName().equals(owner)).toList();
                if (!matching.isEmpty()) {
                    return new Answer(name, rcode, cnames, matching);
                }
                Optional<CNAMERecord> cname = answers.stream()
                        .filter(r -> r.getType() == Type.CNAME && r.getName().equals(owner))
                        .map(CNAMERecord.class::cast).findFirst();
                if (cname.isEmpty()) {
                    break;
                }
                current = cname.get().getTarget();
                cnames.add(text(current));
                followedHere = true;
                if (cnames.size() > MAX_CNAMES) {
                    throw new ValidationFailure(ProblemType.DNS, "DNS problem: more than " + MAX_CNAMES
                            + " CNAMEs in a row from " + name + ": " + cnames);
                }
            }
            if (!followedHere) {
                return new Answer(name, rcode, cnames, List.of());
            }
            // The resolver answered with a CNAME but not its target's records: ask for the target itself.
        }
    }

    private Message send(Name name, int type, Deadline deadline) {
        Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(name, type, DClass.IN));
        // Whole milliseconds rounded up, as for sockets: dnsjava's timeout cut to the deadline must not fire before it,
        // or the failure would name the DNS timeout instead of the deadline.
        Duration wait = Duration.ofMillis(deadline.capMillis(timeout));
        try {
            return resolver(wait).send(query);
        } catch (IOException e) {
            if (deadline.passed()) {
                throw deadline.expired();
            }
            throw new ValidationFailure(ProblemType.DNS, "DNS problem: no answer from resolvers " + describe()
                    + " looking up " + Type.string(type) + " for " + text(name) + " within " + wait.toMillis() + " ms ("
                    + e.getMessage() + ")");
        }
    }

    private Resolver resolver(Duration wait) {
        Resolver resolver;
        if (servers.isEmpty()) {
            resolver = new ExtendedResolver();
        } else if (servers.size() == 1) {
            resolver = new SimpleResolver(servers.get(0));
        } else {
            resolver = new ExtendedResolver(servers.stream().map(s -> (Resolver) new SimpleResolver(s)).toList());
        }
        resolver.setTimeout(wait);
        return resolver;
    }

    private static String text(Name name) {
        String text = name.toString(true);
        return text.isEmpty() ? "." : text;
    }
}
