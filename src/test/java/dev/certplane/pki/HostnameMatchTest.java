package dev.certplane.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class HostnameMatchTest {

    @Test
    void dnsNamesMatchExactlyWithoutRegardToCaseOrATrailingDot() {
        List<String> dns = List.of("www.Example.com", "api.example.com.");
        assertThat(HostnameMatch.covers(dns, List.of(), "www.example.com")).isTrue();
        assertThat(HostnameMatch.covers(dns, List.of(), "WWW.EXAMPLE.COM.")).isTrue();
        assertThat(HostnameMatch.covers(dns, List.of(), "api.example.com")).isTrue();
        assertThat(HostnameMatch.covers(dns, List.of(), "example.com")).isFalse();
        assertThat(HostnameMatch.covers(dns, List.of(), "shop.example.com")).isFalse();
        assertThat(HostnameMatch.covers(List.of(), List.of(), "www.example.com")).isFalse();
    }

    @Test
    void aWildcardStandsForExactlyOneLeftmostLabel() {
        List<String> dns = List.of("*.example.com");
        assertThat(HostnameMatch.covers(dns, List.of(), "shop.example.com")).isTrue();
        assertThat(HostnameMatch.covers(dns, List.of(), "example.com")).isFalse();
        assertThat(HostnameMatch.covers(dns, List.of(), "a.shop.example.com")).isFalse();
        assertThat(HostnameMatch.covers(dns, List.of(), "shop.example.org")).isFalse();
        assertThat(HostnameMatch.covers(List.of("*.com"), List.of(), "example.com")).isFalse();
        assertThat(HostnameMatch.covers(List.of("w*.example.com"), List.of(), "www.example.com")).isFalse();
        assertThat(HostnameMatch.covers(List.of("*.*.example.com"), List.of(), "a.b.example.com")).isFalse();
    }

    @Test
    void addressesMatchOnlyAddressEntriesWhateverTheirNotation() {
        assertThat(HostnameMatch.covers(List.of(), List.of("192.0.2.1"), "192.0.2.1")).isTrue();
        assertThat(HostnameMatch.covers(List.of(), List.of("2001:db8:0:0:0:0:0:1"), "2001:db8::1")).isTrue();
        assertThat(HostnameMatch.covers(List.of(), List.of("192.0.2.1"), "192.0.2.2")).isFalse();
        assertThat(HostnameMatch.covers(List.of("192.0.2.1"), List.of(), "192.0.2.1")).isFalse();
        assertThat(HostnameMatch.covers(List.of("*.2.1"), List.of(), "192.0.2.1")).isFalse();
    }

    @Test
    void aWildcardCoversEveryOneLabelNameBelowItsDomainAndNothingDeeper() {
        Gen<String> labels = integers().between(0, 25).zip(integers().between(1, 12),
                (first, length) -> ("" + (char) ('a' + first)).repeat(length));
        qt().withExamples(200).forAll(labels, labels, labels).checkAssert((label, middle, domain) -> {
            List<String> wildcard = List.of("*." + domain + ".test");
            assertThat(HostnameMatch.covers(wildcard, List.of(), label + "." + domain + ".test")).isTrue();
            assertThat(HostnameMatch.covers(wildcard, List.of(), label + "." + middle + "." + domain + ".test")).isFalse();
            assertThat(HostnameMatch.covers(wildcard, List.of(), domain + ".test")).isFalse();
        });
    }
}
