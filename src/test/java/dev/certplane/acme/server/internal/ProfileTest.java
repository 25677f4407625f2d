package dev.certplane.acme.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.server.internal.validation.CaaPolicy;
import dev.certplane.pki.ExtendedKeyUsage;
import dev.certplane.pki.KeyType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A profile's name policy ({@link Profile#refusal}) and the validation of profiles built from untrusted text. */
class ProfileTest {

    private static final Duration NINETY_DAYS = Duration.ofDays(90);

    @ParameterizedTest
    @CsvSource({
        "example.com,   example.com,        true",
        "example.com,   www.example.com,    false",
        "example.com,   *.example.com,      false",
        "example.com,   badexample.com,     false",
        "*.example.com, *.example.com,      true",
        "*.example.com, www.example.com,    false",
        "*.example.com, example.com,        false",
        ".example.com,  www.example.com,    true",
        ".example.com,  a.b.example.com,    true",
        ".example.com,  *.example.com,      true",
        ".example.com,  *.a.example.com,    true",
        ".example.com,  example.com,        false",
        ".example.com,  badexample.com,     false",
        ".example.com,  www.example.com.evil.test, false",
        ".example.com,  www.example.net,    false",
        "*,             example.com,        true",
        "*,             *.a.b.example.org,  true",
        "*,             localhost,          true"})
    void domainRules(String rule, String name, boolean allowed) {
        Profile profile = profile(List.of(rule), List.of());

        assertThat(profile.refusal(Identifier.dns(name)).isEmpty()).as("%s allows %s", rule, name).isEqualTo(allowed);
    }

    @Test
    void anyRuleMayAllowAName() {
        Profile profile = profile(List.of("example.com", ".example.net", "*.example.org"), List.of());

        assertThat(profile.refusal(Identifier.dns("example.com"))).isEmpty();
        assertThat(profile.refusal(Identifier.dns("www.example.net"))).isEmpty();
        assertThat(profile.refusal(Identifier.dns("*.example.org"))).isEmpty();
        assertThat(profile.refusal(Identifier.dns("www.example.org"))).hasValue(
                "profile 'web' does not allow www.example.org (allowed: example.com, .example.net, *.example.org)");
    }

    @Test
    void aProfileWithoutDomainsSaysWhereToAllowSome() {
        assertThat(profile(List.of(), List.of("10.0.0.0/8")).refusal(Identifier.dns("example.com"))).hasValue(
                "profile 'web' does not allow example.com (it allows no names; set certplane.acme.profiles.web.allowed-domains)");
    }

    @Test
    void domainEntriesAreNormalised() {
        Profile profile = profile(List.of(" Example.COM ", ".Example.Net", "example.com", "*"), List.of());

        assertThat(profile.allowedDomains()).containsExactly("example.com", ".example.net", "*");
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8,      10.1.2.3,          true",
        "10.0.0.0/8,      10.255.255.255,    true",
        "10.0.0.0/8,      11.0.0.0,          false",
        "10.0.0.0/8,      9.255.255.255,     false",
        "192.0.2.0/24,    192.0.2.0,         true",
        "192.0.2.0/24,    192.0.2.255,       true",
        "192.0.2.0/24,    192.0.3.0,         false",
        "192.0.2.128/25,  192.0.2.127,       false",
        "192.0.2.128/25,  192.0.2.128,       true",
        "192.0.2.7,       192.0.2.7,         true",
        "192.0.2.7,       192.0.2.8,         false",
        "192.0.2.7/32,    192.0.2.7,         true",
        "0.0.0.0/0,       203.0.113.9,       true",
        "0.0.0.0/0,       2001:db8::1,       false",
        "10.0.0.0/8,      ::a00:1,           false",
        "2001:db8::/32,   2001:db8::1,       true",
        "2001:db8::/32,   2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
        "2001:db8::/32,   2001:db9::,        false",
        "2001:db8::/33,   2001:db8:8000::1,  false",
        "2001:db8::/33,   2001:db8:7fff::1,  true",
        "fd00::/8,        fdff::1,           true",
        "fd00::/8,        fe00::1,           false",
        "2001:db8::1,     2001:db8::1,       true",
        "2001:db8::1,     2001:db8::2,       false",
        "::/0,            2001:db8::1,       true",
        "::/0,            192.0.2.1,         false"})
    void ipRanges(String range, String address, boolean allowed) {
        Profile profile = profile(List.of("*"), List.of(range));

        assertThat(profile.refusal(Identifier.ip(address)).isEmpty()).as("%s allows %s", range, address).isEqualTo(allowed);
    }

    @Test
    void aRefusedAddressNamesTheRanges() {
        assertThat(profile(List.of("*"), List.of("10.0.0.0/8", "fd00::/8")).refusal(Identifier.ip("192.0.2.1")))
                .hasValue("profile 'web' does not allow IP address 192.0.2.1 (allowed ranges: [10.0.0.0/8, fd00::/8])");
    }

    @Test
    void withoutIpRangesNoAddressIsAllowedEvenWithTheWildcardDomainRule() {
        assertThat(profile(List.of("*"), List.of()).refusal(Identifier.ip("192.0.2.1")))
                .hasValue("profile 'web' does not allow IP address 192.0.2.1 (it allows no IP ranges)");
        assertThat(profile(List.of("*"), List.of()).refusal(Identifier.ip("2001:db8::1"))).get().asString()
                .contains("it allows no IP ranges");
    }

    @Test
    void rangesAreStoredAsCanonicalNetworks() {
        Profile profile = profile(List.of(), List.of("10.1.2.3/8", " 192.0.2.7 ", "2001:DB8:0:0::1/32", "FD12:0:0:0:0:0:0:1/128"));

        assertThat(profile.allowedIpRanges()).containsExactly("10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32", "fd12::1/128");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/33     | has a prefix length outside 0..32",
        "10.0.0.0/-1     | has a prefix length outside 0..32",
        "10.0.0.0/       | has a prefix length outside 0..32",
        "10.0.0.0/eight  | has a prefix length outside 0..32",
        "::/129          | has a prefix length outside 0..128",
        "10.0.0/8        | is not a CIDR",
        "256.0.0.0/8     | is not a CIDR",
        "example.com/8   | is not a CIDR",
        "[::1]/128       | is not a CIDR",
        "fe80::1%eth0/64 | is not a CIDR",
        "''              | is not a CIDR"})
    void aBadRangeIsNamed(String range, String reason) {
        assertThatThrownBy(() -> profile(List.of(), List.of(range))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("allowed-ip-ranges entry '" + range + "' " + reason
                        + (reason.startsWith("is not") ? " such as 10.0.0.0/8 or fd00::/8" : ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa mple.com", "example.com.", "*.com", "..example.com", "-example.com", "example.123",
        "*.*.example.com", "ex_ample.com", "", "."})
    void aBadDomainEntryIsNamed(String entry) {
        assertThatThrownBy(() -> profile(List.of(entry), List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("allowed-domains entry '" + entry + "': ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "a", "0", "internal-tls", "web2", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void aGoodName(String name) {
        assertThat(Profile.of(name, "trust_authenticated", List.of(), List.of(), NINETY_DAYS, List.of(), "", Profile.FROM_API).name())
                .isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Default", "-web", "we_b", "web.internal", "web/1", " web", "caf\u00e9",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "directory", "new-nonce", "new-account", "new-order", "revoke-cert", "key-change", "renewal-info"})
    void aBadOrReservedNameIsNamed(String name) {
        assertThatThrownBy(() -> Profile.of(name, "trust_authenticated", List.of(), List.of(), NINETY_DAYS, List.of(), "",
                Profile.FROM_API))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("profile name '" + name + "' must be")
                .hasMessageContaining("directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"trust_authenticated", "TRUST_AUTHENTICATED", " Trust_Authenticated "})
    void theAvailableAuthMode(String mode) {
        assertThat(profile(mode).authMode()).isEqualTo(AuthMode.TRUST_AUTHENTICATED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "TOKEN", " Token "})
    void theTokenAuthMode(String mode) {
        assertThat(profile(mode).authMode()).isEqualTo(AuthMode.TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"challenge", "CHALLENGE"})
    void theChallengeAuthMode(String mode) {
        assertThat(profile(mode).authMode()).isEqualTo(AuthMode.CHALLENGE);
    }

    @Test
    void caaNeedsAValidIssuerDomainName() {
        assertThat(profile("challenge").withCaa(true, List.of(" CA.Example.COM ", "ca.example.com")).caa())
                .isEqualTo(new CaaPolicy(true, List.of("ca.example.com")));
        assertThat(profile("challenge").caa()).isEqualTo(CaaPolicy.DISABLED);
        assertThatThrownBy(() -> profile("challenge").withCaa(true, List.of()))
                .hasMessageContaining("caa is on but caa-identities is empty");
        assertThatThrownBy(() -> profile("challenge").withCaa(true, List.of("*.example.com")))
                .hasMessage("caa-identities entry '*.example.com' must not be a wildcard");
        assertThatThrownBy(() -> profile("challenge").withCaa(false, List.of("exa mple.com")))
                .hasMessageStartingWith("caa-identities entry 'exa mple.com': ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"trust", "trust-authenticated", "", "none", "eab"})
    void anUnknownAuthModeIsNamed(String mode) {
        assertThatThrownBy(() -> profile(mode)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown auth mode '" + mode + "'; use one of trust_authenticated, challenge, token");
    }

    @Test
    void theValidityMustBePositive() {
        for (Duration validity : List.of(Duration.ZERO, Duration.ofDays(-1), Duration.ofNanos(-1))) {
            assertThatThrownBy(() -> Profile.of("web", "trust_authenticated", List.of(), List.of(), validity, List.of(), "",
                    Profile.FROM_API)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validity must be positive");
        }
        assertThat(Profile.of("web", "trust_authenticated", List.of(), List.of(), Duration.ofDays(6), List.of(), "",
                Profile.FROM_API).validity()).isEqualTo(Duration.ofDays(6));
    }

    @Test
    void keyTypes() {
        assertThat(profile(List.of("ec-p256", "RSA_2048", " ec-p384 ")).keyTypes())
                .containsExactlyInAnyOrder(KeyType.EC_P256, KeyType.RSA_2048, KeyType.EC_P384);
        assertThat(profile(List.of()).keyTypes()).isEqualTo(EnumSet.allOf(KeyType.class));
        assertThatThrownBy(() -> profile(List.of("ec-p256", "dsa-1024"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key-types: ").hasMessageContaining("\"dsa-1024\"");
    }

    @Test
    void theDescriptionIsAtMost500Characters() {
        assertThat(Profile.of("web", "trust_authenticated", List.of(), List.of(), NINETY_DAYS, List.of(), "d".repeat(500),
                Profile.FROM_CONFIGURATION).description()).hasSize(500);
        assertThatThrownBy(() -> Profile.of("web", "trust_authenticated", List.of(), List.of(), NINETY_DAYS, List.of(),
                "d".repeat(501), Profile.FROM_CONFIGURATION)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("description");
    }

    @Test
    void certificatesAreTlsServerCertificatesOfTheProfilesValidity() {
        var issuance = profile(List.of("*"), List.of()).issuanceProfile();

        assertThat(issuance.name()).isEqualTo("acme:web");
        assertThat(issuance.validity()).isEqualTo(NINETY_DAYS);
        assertThat(issuance.extendedKeyUsage()).containsExactly(ExtendedKeyUsage.SERVER_AUTH);
    }

    private static Profile profile(List<String> domains, List<String> ranges) {
        return Profile.of("web", "trust_authenticated", domains, ranges, NINETY_DAYS, List.of(), "", Profile.FROM_API);
    }

    private static Profile profile(String authMode) {
        return Profile.of("web", authMode, List.of(), List.of(), NINETY_DAYS, List.of(), "", Profile.FROM_API);
    }

    private static Profile profile(List<String> keyTypes) {
        return Profile.of("web", "trust_authenticated", List.of(), List.of(), NINETY_DAYS, keyTypes, "", Profile.FROM_API);
    }
}
