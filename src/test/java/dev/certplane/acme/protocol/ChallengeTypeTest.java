package dev.certplane.acme.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which challenges an identifier is offered (RFC 8555 7.1.3 and 8, RFC 8737, RFC 8738 7) and the wire names. */
class ChallengeTypeTest {

    @Test
    void aDnsNameIsOfferedAllThreeTypes() {
        assertThat(ChallengeType.offeredFor(Identifier.dns("www.example.com")))
                .containsExactly(ChallengeType.HTTP_01, ChallengeType.DNS_01, ChallengeType.TLS_ALPN_01);
    }

    @Test
    void aWildcardIsOfferedOnlyDns01() {
        assertThat(ChallengeType.offeredFor(Identifier.dns("*.example.com"))).containsExactly(ChallengeType.DNS_01);
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.7", "2001:db8::7", "::ffff:192.0.2.7"})
    void anIpAddressIsOfferedHttp01AndTlsAlpn01ButNotDns01(String address) {
        assertThat(ChallengeType.offeredFor(Identifier.ip(address)))
                .containsExactly(ChallengeType.HTTP_01, ChallengeType.TLS_ALPN_01);
    }

    @Test
    void wireNamesAreThoseOfTheRfcsAndRoundTrip() {
        assertThat(ChallengeType.HTTP_01.wire()).isEqualTo("http-01");
        assertThat(ChallengeType.DNS_01.wire()).isEqualTo("dns-01");
        assertThat(ChallengeType.TLS_ALPN_01.wire()).isEqualTo("tls-alpn-01");
        for (ChallengeType type : ChallengeType.values()) {
            assertThat(ChallengeType.fromWire(type.wire())).contains(type);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP-01", "http-02", "tls-sni-01", "dns-account-01", "", "http_01"})
    void unknownOrMisspelledWireNamesAreNotTypes(String text) {
        assertThat(ChallengeType.fromWire(text)).isEmpty();
    }
}
