package dev.certplane.acme.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;

/** Identifier validation and canonical forms (RFC 8555 7.1.4 and 9.7.7, RFC 8738, RFC 5952). */
class IdentifierTest {

    private static final String LDH = "abcdefghijklmnopqrstuvwxyz0123456789-";

    @ParameterizedTest
    @CsvSource({
        "example.com, example.com",
        "WWW.Example.COM, www.example.com",
        "a.b, a.b",
        "xn--bcher-kva.example, xn--bcher-kva.example",
        "a--b.example, a--b.example",
        "1.example.com, 1.example.com",
        "123.example.c0m, 123.example.c0m",
        "localhost, localhost",
        "*.Example.com, *.example.com",
        "*.a.b.c, *.a.b.c"})
    void aValidDnsNameIsLowerCased(String name, String canonical) {
        Identifier identifier = Identifier.of("dns", name);

        assertThat(identifier).isEqualTo(new Identifier(Identifier.DNS, canonical));
        assertThat(Identifier.dns(canonical)).isEqualTo(identifier);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                       | it is empty",
        "example.com.             | must not end with a dot",
        "a..example.com           | empty label",
        ".example.com             | empty label",
        "-a.example.com           | label \"-a\"",
        "a-.example.com           | label \"a-\"",
        "under_score.example.com  | label \"under_score\"",
        "sp ace.example.com       | label \"sp ace\"",
        "a/b.example.com          | label \"a/b\"",
        "example.123              | last label is all digits",
        "192.0.2.1                | last label is all digits",
        "*.com                    | at least two labels",
        "*                        | at least two labels",
        "*.*.example.com          | whole leftmost label",
        "a.*.example.com          | whole leftmost label",
        "*a.example.com           | whole leftmost label",
        "a*.example.com           | whole leftmost label",
        "**.example.com           | whole leftmost label",
        "example.*                | whole leftmost label",
        "xn--bcher-kva.*          | whole leftmost label"})
    void anInvalidDnsNameIsRejectedWithTheReason(String name, String reason) {
        AcmeProblem problem = problem(() -> Identifier.dns(name));

        assertThat(problem.type()).isEqualTo(ProblemType.REJECTED_IDENTIFIER);
        assertThat(problem.detail()).startsWith("\"" + name + "\" is not a valid DNS name").contains(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u212Aexample.com", "b\u00fccher.example", "example.\u0441om", "\uff45xample.com",
        "\u0130stanbul.example"})
    void aNonAsciiNameIsRejectedEvenIfItLowerCasesToAscii(String name) {
        // The Kelvin sign U+212A lower-cases to an ASCII "k".
        AcmeProblem problem = problem(() -> Identifier.dns(name));

        assertThat(problem.type()).isEqualTo(ProblemType.REJECTED_IDENTIFIER);
        assertThat(problem.detail()).contains("non-ASCII", "xn--");
    }

    @Test
    void labelsAndNamesHaveMaximumLengths() {
        String label63 = "a".repeat(63);
        assertThat(Identifier.dns(label63 + ".example").value()).startsWith(label63);
        assertThat(problem(() -> Identifier.dns("a" + label63 + ".example")).detail()).contains("label \"a" + label63 + "\"");

        String name253 = String.join(".", label63, label63, label63, "b".repeat(61));
        assertThat(name253).hasSize(253);
        assertThat(Identifier.dns(name253).value()).isEqualTo(name253);
        assertThat(problem(() -> Identifier.dns(name253 + "b")).detail()).contains("longer than 253");
        assertThat(problem(() -> Identifier.dns("*." + name253)).detail()).contains("longer than 253");
    }

    @Test
    void aWildcardKnowsItsBaseName() {
        Identifier wildcard = Identifier.dns("*.Example.com");
        assertThat(wildcard.isWildcard()).isTrue();
        assertThat(wildcard.baseName()).isEqualTo("example.com");

        Identifier plain = Identifier.dns("www.example.com");
        assertThat(plain.isWildcard()).isFalse();
        assertThat(plain.baseName()).isEqualTo("www.example.com");
        assertThat(Identifier.ip("192.0.2.1").isWildcard()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, 192.0.2.1",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:0db8:0000:0000:0000:ff00:0042:8329, 2001:db8::ff00:42:8329",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:db8:1:1:1:1:1:0, 2001:db8:1:1:1:1:1:0",
        "0:0:0:0:0:0:0:0, ::",
        "::, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "1:0:0:0:0:0:0:0, 1::",
        "fe80:0:0:1:0:0:0:0, fe80:0:0:1::",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "FFFF::ABCD, ffff::abcd",
        "::102:304, ::102:304"})
    void anIpAddressIsInItsShortestForm(String address, String canonical) {
        Identifier identifier = Identifier.of("ip", address);

        assertThat(identifier).isEqualTo(new Identifier(Identifier.IP, canonical));
        assertThat(Identifier.canonicalIp(address)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 192.0.2.1", "192.0.2.1 ", "192.0.2", "192.0.2.1.5", "256.0.0.1", "192.0.2.1/32",
        "0x7f.0.0.1", "[2001:db8::1]", "fe80::1%eth0", "fe80::1%1", "2001:db8::1/128", "1:2:3:4:5:6:7:8:9", "::g",
        "2001:db8:::1", "12345::1", "localhost", "example.com", "*.example.com"})
    void anythingButAnAddressLiteralIsNotAnIpIdentifier(String value) {
        AcmeProblem problem = problem(() -> Identifier.of("ip", value));

        assertThat(problem.type()).isEqualTo(ProblemType.REJECTED_IDENTIFIER);
        assertThat(problem.detail()).contains("\"" + value + "\"", "RFC 8738");
    }

    @ParameterizedTest
    @ValueSource(strings = {"email", "DNS", "IP", "", "dns-account", "permanent-identifier"})
    void anUnknownTypeIsUnsupported(String type) {
        AcmeProblem problem = problem(() -> Identifier.of(type, "example.com"));

        assertThat(problem.type()).isEqualTo(ProblemType.UNSUPPORTED_IDENTIFIER);
        assertThat(problem.detail()).contains("\"" + type + "\"");
    }

    @Test
    void anyLdhNameRoundTrips() {
        qt().withExamples(500).forAll(hostnames()).checkAssert(name -> {
            Identifier identifier = Identifier.dns(name.toUpperCase(Locale.ROOT));
            assertThat(identifier.value()).isEqualTo(name);
            assertThat(Identifier.of(identifier.type(), identifier.value())).isEqualTo(identifier);
            assertThat(identifier.isWildcard()).isEqualTo(name.startsWith("*."));
        });
    }

    @Test
    void canonicalIpIsIdempotentAndRfc5952() {
        qt().withExamples(1000).forAll(addresses()).checkAssert(bytes -> {
            String literal = literal(bytes);
            String canonical = Identifier.canonicalIp(literal);

            assertThat(Identifier.canonicalIp(canonical)).isEqualTo(canonical);
            assertThat(Identifier.ip(canonical).value()).isEqualTo(canonical);
            assertThat(addressOf(canonical)).isEqualTo(bytes);
            assertThat(canonical).isEqualTo(bytes.length == 4 ? literal : rfc5952(bytes));
        });
    }

    /** RFC 5952 4 as string rewriting, independent of the production code: the longest, then first, zero run. */
    private static String rfc5952(byte[] bytes) {
        StringBuilder full = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            full.append(i == 0 ? "" : ":").append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
        }
        String text = full.toString();
        Matcher runs = Pattern.compile("(?<![0-9a-f])0(?::0)+(?![0-9a-f])").matcher(text);
        int start = -1;
        int end = -1;
        while (runs.find()) {
            if (runs.end() - runs.start() > end - start) {
                start = runs.start();
                end = runs.end();
            }
        }
        return start < 0 ? text : text.substring(0, start).replaceAll(":$", "") + "::" + text.substring(end).replaceAll("^:", "");
    }

    /** IPv4 and IPv6 addresses with many zero groups, but not IPv4-mapped ones (the JDK reads those as IPv4). */
    private static Gen<byte[]> addresses() {
        Gen<Integer> group = integers().between(0, 3).zip(integers().between(0, 0xffff), (zero, value) -> zero < 2 ? 0 : value);
        Gen<byte[]> v6 = lists().of(group).ofSize(8).map(groups -> {
            byte[] bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[2 * i] = (byte) (groups.get(i) >> 8);
                bytes[2 * i + 1] = (byte) (int) groups.get(i);
            }
            return bytes;
        }).assuming(bytes -> !isIpv4Mapped(bytes));
        Gen<byte[]> v4 = lists().of(integers().between(0, 255)).ofSize(4).map(octets -> {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) (int) octets.get(i);
            }
            return bytes;
        });
        return booleans().all().zip(v4, v6, (ipv4, four, six) -> ipv4 ? four : six);
    }

    /** The JDK's uncompressed text of an address. */
    private static String literal(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The octets of an address literal; a literal is never looked up. */
    private static byte[] addressOf(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** Lower-case LDH names of 1 to 5 labels of 1 to 40 characters, maybe a wildcard; the last label not all digits. */
    private static Gen<String> hostnames() {
        Gen<String> label = lists().of(integers().between(0, LDH.length() - 1)).ofSizeBetween(1, 40).map(indexes -> {
            StringBuilder text = new StringBuilder();
            for (int index : indexes) {
                text.append(LDH.charAt(index));
            }
            if (text.charAt(0) == '-') {
                text.setCharAt(0, 'x');
            }
            if (text.charAt(text.length() - 1) == '-') {
                text.setCharAt(text.length() - 1, 'z');
            }
            return text.toString();
        });
        return lists().of(label).ofSizeBetween(1, 5).zip(booleans().all(), (labels, wildcard) -> {
            String name = String.join(".", labels);
            if (labels.get(labels.size() - 1).chars().allMatch(Character::isDigit)) {
                name += ".test";
            }
            return (wildcard && name.contains(".") ? "*." : "") + name;
        });
    }

    private static AcmeProblem problem(Runnable action) {
        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, action::run);
        assertThat(problem).as("an AcmeProblem").isNotNull();
        return problem;
    }
}
