package dev.certplane.acme.server.internal.validation;

import static dev.certplane.acme.server.internal.validation.UdpDnsServer.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.certplane.acme.protocol.ProblemType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** The dnsjava-based resolver against a scripted DNS server on loopback UDP. */
class DnsJavaResolverTest {

    private UdpDnsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void recordsOfTheAskedTypeAreReturned() throws IOException {
        server = UdpDnsServer.start(q -> reply(q, new ARecord(name("www.example.test"), DClass.IN, 60,
                InetAddress.getByName("192.0.2.10"))).toWire());

        Dns.Answer answer = resolver().query("www.example.test", Type.A, deadline());

        assertThat(answer.nxdomain()).isFalse();
        assertThat(answer.cnames()).isEmpty();
        assertThat(answer.records()).singleElement()
                .satisfies(r -> assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("192.0.2.10"));
        assertThat(server.questions).containsExactly("www.example.test A");
    }

    @Test
    void aCnameChainInOneResponseIsFollowedAndKept() throws IOException {
        server = UdpDnsServer.start(q -> reply(q,
                new CNAMERecord(name("_acme-challenge.www.example.test"), DClass.IN, 60, name("a.example.net")),
                new CNAMERecord(name("a.example.net"), DClass.IN, 60, name("b.example.org")),
                new TXTRecord(name("b.example.org"), DClass.IN, 60, "token-digest")).toWire());

        Dns.Answer answer = resolver().query("_acme-challenge.www.example.test", Type.TXT, deadline());

        assertThat(answer.cnames()).containsExactly("a.example.net", "b.example.org");
        assertThat(answer.records()).singleElement()
                .satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly("token-digest"));
        assertThat(answer.describeName())
                .isEqualTo("_acme-challenge.www.example.test (via CNAME a.example.net → b.example.org)");
        assertThat(server.questions).hasSize(1);
    }

    @Test
    void aCnameWithoutItsTargetsRecordsIsFollowedWithAnotherQuery() throws IOException {
        server = UdpDnsServer.start(q -> {
            Name asked = q.getQuestion().getName();
            if (asked.equals(name("www.example.test"))) {
                return reply(q, new CNAMERecord(asked, DClass.IN, 60, name("cdn.example.net"))).toWire();
            }
            return reply(q, new TXTRecord(asked, DClass.IN, 60, "found")).toWire();
        });

        Dns.Answer answer = resolver().query("www.example.test", Type.TXT, deadline());

        assertThat(answer.cnames()).containsExactly("cdn.example.net");
        assertThat(answer.records()).hasSize(1);
        assertThat(server.questions).containsExactly("www.example.test TXT", "cdn.example.net TXT");
    }

    @Test
    void ownerNamesMatchWhateverTheirCase() throws IOException {
        server = UdpDnsServer.start(q -> reply(q, new TXTRecord(name("WWW.Example.TEST"), DClass.IN, 60, "v"))
                .toWire());

        assertThat(resolver().query("www.example.test", Type.TXT, deadline()).records()).hasSize(1);
    }

    @Test
    void recordsOfOtherNamesInTheAnswerAreIgnored() throws IOException {
        server = UdpDnsServer.start(q -> reply(q, new TXTRecord(name("attacker.example.net"), DClass.IN, 60,
                "planted")).toWire());

        Dns.Answer answer = resolver().query("www.example.test", Type.TXT, deadline());

        assertThat(answer.nxdomain()).isFalse();
        assertThat(answer.records()).isEmpty();
    }

    @Test
    void nxdomainIsAnAnswerNotAFailure() throws IOException {
        server = UdpDnsServer.start(q -> reply(q, Rcode.NXDOMAIN).toWire());

        Dns.Answer answer = resolver().query("missing.example.test", Type.TXT, deadline());

        assertThat(answer.nxdomain()).isTrue();
        assertThat(answer.records()).isEmpty();
    }

    @Test
    void nxdomainAtTheEndOfACnameKeepsTheChain() throws IOException {
        server = UdpDnsServer.start(q -> q.getQuestion().getName().equals(name("www.example.test"))
                ? reply(q, new CNAMERecord(name("www.example.test"), DClass.IN, 60, name("gone.example.net"))).toWire()
                : reply(q, Rcode.NXDOMAIN).toWire());

        Dns.Answer answer = resolver().query("www.example.test", Type.TXT, deadline());

        assertThat(answer.nxdomain()).isTrue();
        assertThat(answer.describeName()).isEqualTo("www.example.test (via CNAME gone.example.net)");
    }

    @Test
    void servfailIsADnsProblemNamingTheResolver() throws IOException {
        server = UdpDnsServer.start(q -> reply(q, Rcode.SERVFAIL).toWire());
        DnsJavaResolver resolver = resolver();

        ValidationFailure failure = catchThrowableOfType(() -> resolver.query("www.example.test", Type.TXT,
                deadline()), ValidationFailure.class);

        assertThat(failure.type()).isEqualTo(ProblemType.DNS);
        assertThat(failure.detail()).isEqualTo("DNS problem: SERVFAIL looking up TXT for www.example.test (resolvers "
                + hostPort() + ")");
    }

    @Test
    void refusedIsADnsProblemToo() throws IOException {
        server = UdpDnsServer.start(q -> reply(q, Rcode.REFUSED).toWire());
        DnsJavaResolver resolver = resolver();

        ValidationFailure failure = catchThrowableOfType(() -> resolver.query("www.example.test", Type.CAA,
                deadline()), ValidationFailure.class);

        assertThat(failure.detail()).isEqualTo("DNS problem: REFUSED looking up CAA for www.example.test (resolvers "
                + hostPort() + ")");
    }

    @Test
    void aResolverThatNeverAnswersIsADnsProblemAfterTheDnsTimeout() throws IOException {
        server = UdpDnsServer.start(q -> null);
        DnsJavaResolver resolver = new DnsJavaResolver(List.of(server.address()), Duration.ofMillis(300));
        long start = System.nanoTime();

        ValidationFailure failure = catchThrowableOfType(() -> resolver.query("www.example.test", Type.TXT,
                deadline()), ValidationFailure.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        assertThat(failure.type()).isEqualTo(ProblemType.DNS);
        assertThat(failure.detail()).startsWith("DNS problem: no answer from resolvers " + hostPort()
                + " looking up TXT for www.example.test within 300 ms (");
        assertThat(server.questions).isNotEmpty();
    }

    @Test
    void aResolverThatNeverAnswersCannotOutlastTheDeadline() throws IOException {
        server = UdpDnsServer.start(q -> null);
        DnsJavaResolver resolver = new DnsJavaResolver(List.of(server.address()), Duration.ofSeconds(5));
        long start = System.nanoTime();

        ValidationFailure failure = catchThrowableOfType(() -> resolver.query("www.example.test", Type.TXT,
                Deadline.after(Duration.ofMillis(400))), ValidationFailure.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        assertThat(failure.detail()).isEqualTo("validation did not finish within 400 ms"
                + " (certplane.acme.validation.deadline)");
    }

    @Test
    void aCnameLoopInOneResponseStopsAfterMaxCnames() throws IOException {
        server = UdpDnsServer.start(q -> reply(q,
                new CNAMERecord(name("a.example.test"), DClass.IN, 60, name("b.example.test")),
                new CNAMERecord(name("b.example.test"), DClass.IN, 60, name("a.example.test"))).toWire());
        DnsJavaResolver resolver = resolver();

        ValidationFailure failure = catchThrowableOfType(() -> resolver.query("a.example.test", Type.TXT, deadline()),
                ValidationFailure.class);

        assertThat(failure.type()).isEqualTo(ProblemType.DNS);
        assertThat(failure.detail()).isEqualTo("DNS problem: more than 8 CNAMEs in a row from a.example.test:"
                + " [b.example.test, a.example.test, b.example.test, a.example.test, b.example.test, a.example.test,"
                + " b.example.test, a.example.test, b.example.test]");
        assertThat(server.questions).hasSize(1);
    }

    @Test
    void aLongChainAcrossQueriesStopsAfterMaxCnames() throws IOException {
        server = UdpDnsServer.start(q -> {
            Name asked = q.getQuestion().getName();
            int hop = Integer.parseInt(asked.getLabelString(0).substring(1));
            return reply(q, new CNAMERecord(asked, DClass.IN, 60, name("c" + (hop + 1) + ".example.test"))).toWire();
        });
        DnsJavaResolver resolver = resolver();

        ValidationFailure failure = catchThrowableOfType(() -> resolver.query("c0.example.test", Type.TXT, deadline()),
                ValidationFailure.class);

        assertThat(failure.detail()).startsWith("DNS problem: more than 8 CNAMEs in a row from c0.example.test:"
                + " [c1.example.test, c2.example.test,").endsWith(", c9.example.test]");
        assertThat(server.questions).hasSize(9);
    }

    @Test
    void eightCnamesInARowAreFollowed() throws IOException {
        server = UdpDnsServer.start(q -> {
            Name asked = q.getQuestion().getName();
            int hop = Integer.parseInt(asked.getLabelString(0).substring(1));
            return hop == DnsJavaResolver.MAX_CNAMES ? reply(q, new TXTRecord(asked, DClass.IN, 60, "end")).toWire()
                    : reply(q, new CNAMERecord(asked, DClass.IN, 60, name("c" + (hop + 1) + ".example.test"))).toWire();
        });

        Dns.Answer answer = resolver().query("c0.example.test", Type.TXT, deadline());

        assertThat(answer.cnames()).hasSize(8).last().isEqualTo("c8.example.test");
        assertThat(answer.records()).hasSize(1);
    }

    @Test
    void addressesComeIpv6First() throws IOException {
        server = UdpDnsServer.start(q -> q.getQuestion().getType() == Type.AAAA
                ? reply(q, new AAAARecord(q.getQuestion().getName(), DClass.IN, 60, InetAddress.getByName("2001:db8::1")))
                        .toWire()
                : reply(q, new ARecord(q.getQuestion().getName(), DClass.IN, 60, InetAddress.getByName("192.0.2.1")))
                        .toWire());
        List<String> record = new ArrayList<>();

        List<InetAddress> addresses = resolver().addresses("www.example.test", deadline(), record);

        assertThat(addresses).extracting(Cidr::text).containsExactly("2001:db8::1", "192.0.2.1");
        assertThat(record).containsExactly("resolved www.example.test via " + hostPort()
                + ": [2001:db8::1, 192.0.2.1]");
    }

    @Test
    void anUpperCaseCaaTagThatDnsjavaCannotParseFailsClosed() throws IOException {
        // RFC 8659 4.1 allows "ISSUE"; dnsjava refuses the whole response, so no CAA record can be misread as absent.
        server = UdpDnsServer.start(q -> {
            byte[] wire = reply(q, new CAARecord(q.getQuestion().getName(), DClass.IN, 60, 0, "issue",
                    "other-ca.example")).toWire();
            String text = new String(wire, StandardCharsets.ISO_8859_1);
            int tag = text.indexOf("issue");
            System.arraycopy("ISSUE".getBytes(StandardCharsets.US_ASCII), 0, wire, tag, 5);
            return wire;
        });
        DnsJavaResolver resolver = resolver();

        ValidationFailure failure = catchThrowableOfType(() -> resolver.query("www.example.test", Type.CAA,
                deadline()), ValidationFailure.class);

        assertThat(failure.type()).isEqualTo(ProblemType.DNS);
        assertThat(failure.detail()).startsWith("DNS problem: no answer from resolvers " + hostPort()
                + " looking up CAA for www.example.test");
    }

    @Test
    void aNameThatIsNoDnsNameIsADnsProblem() {
        DnsJavaResolver resolver = new DnsJavaResolver(List.of(new InetSocketAddress("127.0.0.1", 9)),
                Duration.ofMillis(100));

        ValidationFailure failure = catchThrowableOfType(() -> resolver.query("a..example.test", Type.TXT, deadline()),
                ValidationFailure.class);

        assertThat(failure.detail()).isEqualTo("DNS problem: \"a..example.test\" is not a DNS name");
    }

    @Test
    void resolversAreDescribedAsAddressAndPort() throws IOException {
        DnsJavaResolver resolver = new DnsJavaResolver(List.of(new InetSocketAddress("127.0.0.1", 5353),
                new InetSocketAddress(InetAddress.getByName("::1"), 53)), Duration.ofSeconds(1));

        assertThat(resolver.describe()).isEqualTo("127.0.0.1:5353, [::1]:53");
        assertThat(new DnsJavaResolver(List.of(), Duration.ofSeconds(1)).describe()).isEqualTo("of the system");
    }

    private DnsJavaResolver resolver() {
        return new DnsJavaResolver(List.of(server.address()), Duration.ofSeconds(2));
    }

    private String hostPort() {
        return "127.0.0.1:" + server.address().getPort();
    }

    private static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(5));
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
