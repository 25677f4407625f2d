package dev.certplane.acme.server.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.certplane.acme.protocol.ProblemType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reverse names for IP identifiers, and how a target host's addresses are checked and tried in turn. */
class TargetsTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, 1.0.0.127.in-addr.arpa",
        "192.0.2.5, 5.2.0.192.in-addr.arpa",
        "10.20.30.255, 255.30.20.10.in-addr.arpa",
        // RFC 3596 2.5
        "4321:0:1:2:3:4:567:89ab, b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa",
        "::1, 1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
        "2001:db8::f0, 0.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"})
    void reverseNamesFollowRfc3596(String ip, String name) {
        assertThat(Targets.reverseName(ip)).isEqualTo(name);
    }

    @Test
    void hostPortBracketsIpv6Addresses() {
        assertThat(Targets.hostPort("::1", 80)).isEqualTo("[::1]:80");
        assertThat(Targets.hostPort("www.example.test", 5002)).isEqualTo("www.example.test:5002");
        assertThat(Targets.hostPort("127.0.0.1", 443)).isEqualTo("127.0.0.1:443");
    }

    @Test
    void addressesAreTriedIpv6FirstUntilOneAnswers() throws IOException {
        FakeDns dns = new FakeDns("fake").aaaa("multi.example.test", "fd00::1").a("multi.example.test", "10.0.0.1",
                "10.0.0.2");
        ScriptedConnector connector = new ScriptedConnector().refuse("fd00::1");
        List<String> record = new ArrayList<>();

        try (Socket socket = targets(connector, "0.0.0.0/0", "::/0").connect("multi.example.test", 80, dns,
                Deadline.after(Duration.ofSeconds(5)), record)) {
            assertThat(socket).isNotNull();
        }

        assertThat(connector.attempts).containsExactly("fd00::1", "10.0.0.1");
        assertThat(record).containsExactly(
                "resolved multi.example.test via fake: [fd00::1, 10.0.0.1, 10.0.0.2]",
                "could not connect to [fd00::1]:80: Connection refused",
                "connected to 10.0.0.1:80");
    }

    @Test
    void whenNoAddressAnswersTheFailureNamesEveryAddressTriedAndEveryRefusal() {
        FakeDns dns = new FakeDns("fake").aaaa("multi.example.test", "fd00::1").a("multi.example.test", "10.0.0.1",
                "10.0.0.2");
        ScriptedConnector connector = new ScriptedConnector().refuse("10.0.0.1").timeOut("10.0.0.2");

        ValidationFailure failure = catchThrowableOfType(() -> targets(connector, "10.0.0.0/8").connect(
                "multi.example.test", 8080, dns, Deadline.after(Duration.ofSeconds(5)), new ArrayList<>()),
                ValidationFailure.class);

        assertThat(failure.type()).isEqualTo(ProblemType.CONNECTION);
        assertThat(failure.detail()).isEqualTo("could not connect to multi.example.test on port 8080"
                + " (10.0.0.1:8080: Connection refused; 10.0.0.2:8080: no connection within 2000 ms;"
                + " not tried: fd00::1 is in a blocked network (unique local (private), fc00::/7);"
                + " certplane.acme.validation.allowed-networks lists networks that may be reached anyway)");
        assertThat(connector.attempts).containsExactly("10.0.0.1", "10.0.0.2");
    }

    @Test
    void whenEveryAddressIsBlockedNothingIsConnectedTo() {
        FakeDns dns = new FakeDns("fake").aaaa("inside.example.test", "fe80::1").a("inside.example.test", "10.0.0.1",
                "169.254.1.1");
        ScriptedConnector connector = new ScriptedConnector();
        List<String> record = new ArrayList<>();

        ValidationFailure failure = catchThrowableOfType(() -> targets(connector).connect("inside.example.test", 80,
                dns, Deadline.after(Duration.ofSeconds(5)), record), ValidationFailure.class);

        assertThat(connector.attempts).isEmpty();
        assertThat(failure.type()).isEqualTo(ProblemType.CONNECTION);
        String setting = "; certplane.acme.validation.allowed-networks lists networks that may be reached anyway";
        assertThat(failure.detail()).isEqualTo("refusing to validate inside.example.test:"
                + " fe80::1 is in a blocked network (link-local, fe80::/10)" + setting
                + "; 10.0.0.1 is in a blocked network (private, 10.0.0.0/8)" + setting
                + "; 169.254.1.1 is in a blocked network (link-local, 169.254.0.0/16)" + setting);
        assertThat(record).contains("not connecting to 10.0.0.1 is in a blocked network (private, 10.0.0.0/8)" + setting);
    }

    @Test
    void anIpHostIsItsOwnAddressWithoutAnyLookup() throws IOException {
        FakeDns dns = new FakeDns("fake");
        ScriptedConnector connector = new ScriptedConnector();

        try (Socket socket = targets(connector, "::/0").connect("2001:db8::7", 443, dns,
                Deadline.after(Duration.ofSeconds(5)), new ArrayList<>())) {
            assertThat(socket).isNotNull();
        }

        assertThat(dns.queries).isEmpty();
        assertThat(connector.attempts).containsExactly("2001:db8::7");
    }

    @Test
    void theConnectTimeoutIsCutToWhatIsLeftOfTheDeadline() throws IOException {
        ScriptedConnector connector = new ScriptedConnector();

        try (Socket socket = targets(connector, "0.0.0.0/0").connect("192.0.2.1", 80, new FakeDns("fake"),
                Deadline.after(Duration.ofMillis(400)), new ArrayList<>())) {
            assertThat(socket).isNotNull();
        }

        assertThat(connector.timeouts).singleElement().satisfies(t -> assertThat(t).isBetween(1, 400));
    }

    @Test
    void aConnectionThatOutlivesTheDeadlineEndsTheValidation() {
        FakeDns dns = new FakeDns("fake").a("slow.example.test", "192.0.2.1", "192.0.2.2");
        ScriptedConnector connector = new ScriptedConnector().hang("192.0.2.1", Duration.ofMillis(300));

        ValidationFailure failure = catchThrowableOfType(() -> targets(connector, "0.0.0.0/0").connect(
                "slow.example.test", 80, dns, Deadline.after(Duration.ofMillis(200)), new ArrayList<>()),
                ValidationFailure.class);

        assertThat(failure.detail()).isEqualTo("validation did not finish within 200 ms"
                + " (certplane.acme.validation.deadline)");
        assertThat(connector.attempts).containsExactly("192.0.2.1");
    }

    private static Targets targets(Connector connector, String... allowed) {
        return new Targets(new AddressPolicy(List.of(allowed)), connector, Duration.ofSeconds(2));
    }

    /** Never touches the network: refuses, times out, hangs or hands out an unconnected socket, per address. */
    private static final class ScriptedConnector implements Connector {

        final List<String> attempts = new ArrayList<>();
        final List<Integer> timeouts = new ArrayList<>();
        private final List<String> refused = new ArrayList<>();
        private final List<String> timingOut = new ArrayList<>();
        private String hanging;
        private Duration hang;

        ScriptedConnector refuse(String address) {
            refused.add(address);
            return this;
        }

        ScriptedConnector timeOut(String address) {
            timingOut.add(address);
            return this;
        }

        ScriptedConnector hang(String address, Duration duration) {
            hanging = address;
            hang = duration;
            return this;
        }

        @Override
        public Socket connect(InetSocketAddress address, int timeoutMillis) throws IOException {
            String text = Cidr.text(address.getAddress());
            attempts.add(text);
            timeouts.add(timeoutMillis);
            if (refused.contains(text)) {
                throw new ConnectException("Connection refused");
            }
            if (timingOut.contains(text)) {
                throw new SocketTimeoutException("Connect timed out");
            }
            if (text.equals(hanging)) {
                try {
                    Thread.sleep(hang.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new SocketTimeoutException("Connect timed out");
            }
            return new Socket();
        }
    }
}
