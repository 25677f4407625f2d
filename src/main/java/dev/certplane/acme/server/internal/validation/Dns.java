package dev.certplane.acme.server.internal.validation;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import dev.certplane.acme.protocol.ProblemType;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The DNS as validation sees it: one set of resolvers (one perspective). Lookups follow CNAMEs; a resolver
 * failure or timeout is a {@link ValidationFailure} of type {@code dns} that names the resolvers.
 */
public interface Dns {

    /** The resolvers asked, as errors name them. */
    String describe();

    Answer query(String name, int type, Deadline deadline);

    /**
     * @param name the name asked for
     * @param rcode {@link Rcode#NOERROR} or {@link Rcode#NXDOMAIN}
     * @param cnames the CNAME targets followed, in order
     * @param records the records of the asked type at the end of the chain
     */
    record Answer(String name, int rcode, List<String> cnames, List<org.xbill.DNS.Record> records) {

        public Answer {
            cnames = List.copyOf(cnames);
            records = List.copyOf(records);
        }

        public boolean nxdomain() {
            return rcode == Rcode.NXDOMAIN;
        }

        /** "x.example (via CNAME y.example)" for details. */
        String describeName() {
            return cnames.isEmpty() ? name : name + " (via CNAME " + String.join(" → ", cnames) + ")";
        }
    }

    /**
     * The addresses of a host, IPv6 first, as validation connects to them (RFC 8555 8.3 leaves the order to
     * the server; IPv6 first is what public CAs do).
     */
    default List<InetAddress> addresses(String host, Deadline deadline, List<String> record) {
        Answer v6 = query(host, Type.AAAA, deadline);
        Answer v4 = query(host, Type.A, deadline);
        List<InetAddress> addresses = new ArrayList<>();
        v6.records().forEach(r -> addresses.add(((AAAARecord) r).getAddress()));
        v4.records().forEach(r -> addresses.add(((ARecord) r).getAddress()));
        record.add("resolved " + v4.describeName() + " via " + describe() + ": "
                + (addresses.isEmpty() ? "no addresses" : addresses.stream().map(Cidr::text).toList()));
        if (v6.nxdomain() && v4.nxdomain()) {
            throw new ValidationFailure(ProblemType.DNS, "DNS problem: NXDOMAIN looking up A and AAAA for " + host
                    + " (resolvers " + describe() + ")");
        }
        if (addresses.isEmpty()) {
            throw new ValidationFailure(ProblemType.DNS, "DNS problem: no A or AAAA records for " + v4.describeName()
                    + " (resolvers " + describe() + ")");
        }
        return addresses;
    }
}
