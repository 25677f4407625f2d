package dev.certplane.acme.server.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.core.Gen;

/** CIDR parsing, canonical text and containment, the last checked against plain integer arithmetic. */
class CidrTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "10.1.2.3/8, 10.0.0.0/8",
        "192.168.1.77/32, 192.168.1.77/32",
        "192.168.1.77, 192.168.1.77/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "FD00::1/8, fd00::/8",
        "2001:0db8:0000:0000:0000:0000:0000:0001/32, 2001:db8::/32",
        "::1, ::1/128",
        "2001:db8::/128, 2001:db8::/128",
        "::/0, ::/0"})
    void parsesAndMasksToTheNetworkInCanonicalText(String text, String canonical) {
        assertThat(Cidr.parse(text).text()).isEqualTo(canonical);
        assertThat(Cidr.parse(text)).isEqualTo(Cidr.parse(canonical)).hasSameHashCodeAs(Cidr.parse(canonical));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "localhost           | 'localhost' is not a CIDR such as 10.0.0.0/8 or fd00::/8",
        "10.0.0/8            | '10.0.0/8' is not a CIDR such as 10.0.0.0/8 or fd00::/8",
        "256.0.0.0/8         | '256.0.0.0/8' is not a CIDR such as 10.0.0.0/8 or fd00::/8",
        "\"\"                  | '' is not a CIDR such as 10.0.0.0/8 or fd00::/8",
        "fe80::1%eth0/64     | 'fe80::1%eth0/64' is not a CIDR such as 10.0.0.0/8 or fd00::/8",
        "10.0.0.0/33         | '10.0.0.0/33' has a prefix length outside 0..32",
        "10.0.0.0/-1         | '10.0.0.0/-1' has a prefix length outside 0..32",
        "10.0.0.0/x          | '10.0.0.0/x' has a prefix length outside 0..32",
        "10.0.0.0/           | '10.0.0.0/' has a prefix length outside 0..32",
        "fd00::/129          | 'fd00::/129' has a prefix length outside 0..128"})
    void malformedTextIsRefusedSayingWhy(String text, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(text)).withMessage(message);
    }

    @Test
    void containsComparesOnlyAddressesOfTheSameFamily() {
        Cidr v4 = Cidr.parse("0.0.0.0/0");
        Cidr v6 = Cidr.parse("::/0");

        assertThat(v4.contains("10.0.0.1")).isTrue();
        assertThat(v4.contains("::a00:1")).isFalse();
        assertThat(v6.contains("::a00:1")).isTrue();
        assertThat(v6.contains("10.0.0.1")).isFalse();
    }

    @Test
    void theBoundariesOfANetworkAreInsideAndTheirNeighboursOutside() {
        Cidr network = Cidr.parse("100.64.0.0/10");

        assertThat(network.contains("100.64.0.0")).isTrue();
        assertThat(network.contains("100.127.255.255")).isTrue();
        assertThat(network.contains("100.63.255.255")).isFalse();
        assertThat(network.contains("100.128.0.0")).isFalse();
    }

    @Test
    void ipv4ContainmentAgreesWithIntegerArithmetic() {
        Gen<Long> addresses = longs().between(0, 0xffffffffL);
        qt().forAll(addresses, integers().between(0, 32), addresses).checkAssert((network, prefix, candidate) -> {
            Cidr cidr = Cidr.parse(text(BigInteger.valueOf(network), 4) + "/" + prefix);
            boolean expected = (network >>> (32 - prefix)) == (candidate >>> (32 - prefix));
            assertThat(cidr.contains(bytes(BigInteger.valueOf(candidate), 4))).isEqualTo(expected);
        });
    }

    @Test
    void ipv6ContainmentAgreesWithIntegerArithmetic() {
        Gen<BigInteger> addresses = longs().all().zip(longs().all(), (high, low) ->
                BigInteger.valueOf(high).shiftLeft(64).or(BigInteger.valueOf(low).and(BigInteger.ONE.shiftLeft(64)
                        .subtract(BigInteger.ONE))).and(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)));
        qt().forAll(addresses, integers().between(0, 128), addresses).checkAssert((network, prefix, candidate) -> {
            // Half of the candidates share the network's prefix, or containment would almost never hold.
            BigInteger near = candidate.testBit(0) ? candidate : network.xor(candidate.shiftRight(prefix));
            Cidr cidr = Cidr.parse(text(network, 16) + "/" + prefix);
            boolean expected = network.shiftRight(128 - prefix).equals(near.shiftRight(128 - prefix));
            assertThat(cidr.contains(bytes(near, 16))).isEqualTo(expected);
        });
    }

    private static byte[] bytes(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    private static String text(BigInteger value, int length) {
        try {
            return InetAddress.getByAddress(bytes(value, length)).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
