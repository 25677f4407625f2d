package dev.certplane.acme.server.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.certplane.acme.protocol.ChallengeType;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code certplane.acme.validation.*}: defaults, and start-up errors that name the property. */
class ValidationSettingsTest {

    private static final String PREFIX = "certplane.acme.validation";

    @Test
    void defaultsAreThoseOfTheRfcsAndTheDocumentation() {
        ValidationSettings settings = bind(Map.of());

        assertThat(settings.http01Port()).isEqualTo(80);
        assertThat(settings.tlsAlpn01Port()).isEqualTo(443);
        assertThat(settings.dnsResolvers()).isEmpty();
        assertThat(settings.allowedNetworks()).isEmpty();
        assertThat(settings.deadline()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.dnsTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxResponseBytes()).isEqualTo(8192);
        assertThat(settings.recoveryInterval()).isEqualTo(Duration.ofSeconds(10));
        for (ChallengeType type : ChallengeType.values()) {
            assertThat(settings.concurrency().of(type)).isEqualTo(16);
        }
        assertThat(settings.perspectives().resolvers()).isEmpty();
        assertThat(settings.perspectives().required()).isZero();
    }

    @Test
    void propertiesBindFromTheirKebabCaseNames() {
        ValidationSettings settings = bind(Map.of(
                PREFIX + ".http01-port", "5002",
                PREFIX + ".tls-alpn01-port", "5001",
                PREFIX + ".dns-resolvers", "127.0.0.1:5353,[::1]:53",
                PREFIX + ".allowed-networks", "127.0.0.0/8",
                PREFIX + ".deadline", "1500ms",
                PREFIX + ".concurrency.dns01", "3",
                PREFIX + ".perspectives.resolvers[0]", "192.0.2.1",
                PREFIX + ".perspectives.resolvers[1]", "192.0.2.2",
                PREFIX + ".perspectives.quorum", "1"));

        assertThat(settings.http01Port()).isEqualTo(5002);
        assertThat(settings.tlsAlpn01Port()).isEqualTo(5001);
        assertThat(settings.dnsResolvers()).containsExactly("127.0.0.1:5353", "[::1]:53");
        assertThat(settings.allowedNetworks()).containsExactly("127.0.0.0/8");
        assertThat(settings.deadline()).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.concurrency().of(ChallengeType.DNS_01)).isEqualTo(3);
        assertThat(settings.concurrency().of(ChallengeType.HTTP_01)).isEqualTo(16);
        assertThat(settings.perspectives().required()).isEqualTo(1);
    }

    @Test
    void quorumZeroMeansEveryPerspective() {
        assertThat(new ValidationSettings.Perspectives(List.of("192.0.2.1", "192.0.2.2", "192.0.2.3"), 0).required())
                .isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1        | 127.0.0.1 | 53",
        "127.0.0.1:5353   | 127.0.0.1 | 5353",
        "' 10.0.0.53:53 ' | 10.0.0.53 | 53",
        "::1              | ::1       | 53",
        "2001:db8::53     | 2001:db8::53 | 53",
        "[::1]            | ::1       | 53",
        "[::1]:5353       | ::1       | 5353",
        "[2001:db8::53]:65535 | 2001:db8::53 | 65535"})
    void resolverEntriesAreIpLiteralsWithAnOptionalPort(String entry, String host, int port) {
        List<InetSocketAddress> addresses = ValidationSettings.resolverAddresses("dns-resolvers", List.of(entry));

        assertThat(addresses).singleElement().satisfies(a -> {
            assertThat(a.getAddress()).isEqualTo(Cidr.literal(host));
            assertThat(a.getPort()).isEqualTo(port);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns.example:53", "localhost", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:x", "127.0.0.1:",
        "", "[::1", "[::1]:", "[::1]x53", "[::1]:53x", "[127.0.0.1]:53x", "1.2.3:53", "[dns.example]:53"})
    void aBadResolverEntryFailsNamingTheProperty(String entry) {
        assertThatIllegalArgumentException().isThrownBy(() -> ValidationSettings.resolverAddresses("dns-resolvers",
                        List.of("127.0.0.1", entry)))
                .withMessage("certplane.acme.validation.dns-resolvers entry '" + entry + "' must be an IP address with"
                        + " an optional port, such as 127.0.0.1:53 or [::1]:53");
    }

    @Test
    void aBadResolverInTheSettingsFailsAtStartUp() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(80, List.of("ns1.example"), List.of(),
                        Duration.ofSeconds(1), 8192, new ValidationSettings.Perspectives(List.of(), 0)))
                .withMessage("certplane.acme.validation.dns-resolvers entry 'ns1.example' must be an IP address with an"
                        + " optional port, such as 127.0.0.1:53 or [::1]:53");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "intranet      | 'intranet' is not a CIDR such as 10.0.0.0/8 or fd00::/8",
        "10.0.0.0/33   | '10.0.0.0/33' has a prefix length outside 0..32",
        "::1/200       | '::1/200' has a prefix length outside 0..128"})
    void aBadAllowedNetworkFailsNamingTheProperty(String entry, String why) {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(80, List.of(), List.of("127.0.0.0/8", entry),
                        Duration.ofSeconds(1), 8192, new ValidationSettings.Perspectives(List.of(), 0)))
                .withMessage("certplane.acme.validation.allowed-networks entry " + why);
    }

    @Test
    void aBadPerspectiveResolverFailsNamingTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(80, List.of(), List.of(), Duration.ofSeconds(1),
                        8192, new ValidationSettings.Perspectives(List.of("192.0.2.1", "resolver.example"), 1)))
                .withMessage("certplane.acme.validation.perspectives.resolvers entry 'resolver.example' must be an IP"
                        + " address with an optional port, such as 127.0.0.1:53 or [::1]:53");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 3, 4})
    void aQuorumOutsideZeroToTheNumberOfPerspectivesFailsNamingTheProperty(int quorum) {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(80, List.of(), List.of(), Duration.ofSeconds(1),
                        8192, new ValidationSettings.Perspectives(List.of("192.0.2.1", "192.0.2.2"), quorum)))
                .withMessage("certplane.acme.validation.perspectives.quorum is " + quorum
                        + " but there are 2 perspective resolvers");
    }

    @Test
    void aQuorumWithoutPerspectivesFailsWhenTheSettingsAreBound() {
        assertThatThrownByBinding(Map.of(PREFIX + ".perspectives.quorum", "1"))
                .hasRootCauseMessage("certplane.acme.validation.perspectives.quorum is 1 but there are 0 perspective"
                        + " resolvers");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -80, 65536})
    void aPortOutsideTheRangeFailsNamingTheProperty(int port) {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(port, List.of(), List.of(), Duration.ofSeconds(1),
                        8192, new ValidationSettings.Perspectives(List.of(), 0)))
                .withMessage("certplane.acme.validation.http01-port must be a port number");
        assertThatThrownByBinding(Map.of(PREFIX + ".tls-alpn01-port", String.valueOf(port)))
                .hasRootCauseMessage("certplane.acme.validation.tls-alpn01-port must be a port number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "-1s"})
    void aDeadlineThatIsNotPositiveFailsNamingTheProperty(String deadline) {
        assertThatThrownByBinding(Map.of(PREFIX + ".deadline", deadline))
                .hasRootCauseMessage("certplane.acme.validation.deadline must be positive");
    }

    @Test
    void aResponseLimitBelow256BytesFailsNamingTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(80, List.of(), List.of(), Duration.ofSeconds(1),
                        255, new ValidationSettings.Perspectives(List.of(), 0)))
                .withMessage("certplane.acme.validation.max-response-bytes must be at least 256");
        assertThat(settings(80, List.of(), List.of(), Duration.ofSeconds(1), 256,
                new ValidationSettings.Perspectives(List.of(), 0)).maxResponseBytes()).isEqualTo(256);
    }

    @Test
    void aConcurrencyBelowOneFailsNamingTheProperty() {
        assertThatThrownByBinding(Map.of(PREFIX + ".concurrency.tls-alpn01", "0"))
                .hasRootCauseMessage("certplane.acme.validation.concurrency.* must be at least 1");
    }

    private static ValidationSettings settings(int http01Port, List<String> resolvers, List<String> allowed,
            Duration deadline, int maxResponseBytes, ValidationSettings.Perspectives perspectives) {
        return new ValidationSettings(http01Port, 443, resolvers, allowed, deadline, Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(5), maxResponseBytes,
                new ValidationSettings.Concurrency(16, 16, 16), perspectives, Duration.ofSeconds(10));
    }

    private static ValidationSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate(PREFIX, ValidationSettings.class);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertThatThrownByBinding(
            Map<String, String> properties) {
        return assertThatThrownBy(() -> bind(properties)).isInstanceOf(BindException.class);
    }
}
