package dev.certplane.acme.server.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF rule: special-purpose addresses are refused unless an operator allows their network. */
class AddressPolicyTest {

    private static final String SETTING = "; certplane.acme.validation.allowed-networks lists networks that may be"
            + " reached anyway";

    private final AddressPolicy nothingAllowed = new AddressPolicy(List.of());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0.0.0.0          | 0.0.0.0          | \"this network\", 0.0.0.0/8",
        "10.0.0.1         | 10.0.0.1         | private, 10.0.0.0/8",
        "10.255.255.255   | 10.255.255.255   | private, 10.0.0.0/8",
        "100.64.0.1       | 100.64.0.1       | shared address space, 100.64.0.0/10",
        "100.127.255.254  | 100.127.255.254  | shared address space, 100.64.0.0/10",
        "127.0.0.1        | 127.0.0.1        | loopback, 127.0.0.0/8",
        "127.255.0.9      | 127.255.0.9      | loopback, 127.0.0.0/8",
        "::ffff:127.0.0.1 | 127.0.0.1        | loopback, 127.0.0.0/8",
        "::ffff:10.1.2.3  | 10.1.2.3         | private, 10.0.0.0/8",
        "169.254.1.1      | 169.254.1.1      | link-local, 169.254.0.0/16",
        "169.254.169.254  | 169.254.169.254  | link-local, 169.254.0.0/16",
        "172.16.0.1       | 172.16.0.1       | private, 172.16.0.0/12",
        "172.31.255.255   | 172.31.255.255   | private, 172.16.0.0/12",
        "192.0.0.8        | 192.0.0.8        | IETF protocol assignments, 192.0.0.0/24",
        "192.0.2.1        | 192.0.2.1        | documentation, 192.0.2.0/24",
        "192.88.99.1      | 192.88.99.1      | 6to4 relay anycast, 192.88.99.0/24",
        "192.168.1.1      | 192.168.1.1      | private, 192.168.0.0/16",
        "198.18.0.1       | 198.18.0.1       | benchmarking, 198.18.0.0/15",
        "198.19.255.255   | 198.19.255.255   | benchmarking, 198.18.0.0/15",
        "198.51.100.1     | 198.51.100.1     | documentation, 198.51.100.0/24",
        "203.0.113.1      | 203.0.113.1      | documentation, 203.0.113.0/24",
        "224.0.0.1        | 224.0.0.1        | multicast, 224.0.0.0/4",
        "239.255.255.250  | 239.255.255.250  | multicast, 224.0.0.0/4",
        "240.0.0.1        | 240.0.0.1        | reserved, 240.0.0.0/4",
        "255.255.255.255  | 255.255.255.255  | reserved, 240.0.0.0/4",
        "::               | ::               | unspecified, ::/128",
        "::1              | ::1              | loopback, ::1/128",
        "64:ff9b:1::1     | 64:ff9b:1::1     | local-use IPv4/IPv6 translation, 64:ff9b:1::/48",
        "100::1           | 100::1           | discard-only, 100::/64",
        "2001::1          | 2001::1          | IETF protocol assignments, 2001::/23",
        "2001:db8::1      | 2001:db8::1      | documentation, 2001:db8::/32",
        "2002:a00:1::1    | 2002:a00:1::1    | 6to4, 2002::/16",
        "3fff::1          | 3fff::1          | documentation, 3fff::/20",
        "fc00::1          | fc00::1          | unique local (private), fc00::/7",
        "fd12:3456::1     | fd12:3456::1     | unique local (private), fc00::/7",
        "fe80::1          | fe80::1          | link-local, fe80::/10",
        "febf::1          | febf::1          | link-local, fe80::/10",
        "ff02::1          | ff02::1          | multicast, ff00::/8"})
    void specialPurposeAddressesAreRefusedNamingTheNetworkAndTheSetting(String literal, String shown, String network)
            throws UnknownHostException {
        assertThat(nothingAllowed.refusal(InetAddress.getByName(literal)))
                .contains(shown + " is in a blocked network (" + network + ")" + SETTING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.0", "169.253.255.255", "172.15.255.255", "172.32.0.0", "192.167.255.255",
        "198.17.255.255", "198.20.0.0", "223.255.255.255", "2606:4700::1", "2a00:1450:4001::1", "64:ff9b::808:808",
        "2001:200::1", "fbff::1"})
    void publicAddressesAreAllowed(String literal) throws UnknownHostException {
        assertThat(nothingAllowed.refusal(InetAddress.getByName(literal))).isEmpty();
    }

    @Test
    void allowedNetworksOverrideTheBlockedRangesAndOnlyThem() throws UnknownHostException {
        AddressPolicy policy = new AddressPolicy(List.of("127.0.0.0/8", " 10.1.0.0/16 ", "fd00::/8"));

        assertThat(policy.refusal(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("10.1.200.3"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("fd00::5"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("10.2.0.1"))).hasValueSatisfying(
                r -> assertThat(r).startsWith("10.2.0.1 is in a blocked network (private, 10.0.0.0/8)"));
        assertThat(policy.refusal(InetAddress.getByName("fc00::5"))).isPresent();
        assertThat(policy.refusal(InetAddress.getByName("::1"))).isPresent();
    }

    @Test
    void aHostAddressAllowsExactlyThatAddress() throws UnknownHostException {
        AddressPolicy policy = new AddressPolicy(List.of("192.168.7.7", "::1"));

        assertThat(policy.refusal(InetAddress.getByName("192.168.7.7"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("192.168.7.8"))).isPresent();
        assertThat(policy.refusal(InetAddress.getByName("::1"))).isEmpty();
    }

    @Test
    void anIpv4NetworkDoesNotAllowIpv6AddressesWithTheSameBits() throws UnknownHostException {
        AddressPolicy policy = new AddressPolicy(List.of("0.0.0.0/0"));

        assertThat(policy.refusal(InetAddress.getByName("10.0.0.1"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("fe80::1"))).isPresent();
    }

    @Test
    void aMalformedAllowedNetworkIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new AddressPolicy(List.of("10.0.0.0/8", "localhost")))
                .withMessage("'localhost' is not a CIDR such as 10.0.0.0/8 or fd00::/8");
    }
}
