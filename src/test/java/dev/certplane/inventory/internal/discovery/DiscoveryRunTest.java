package dev.certplane.inventory.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.certplane.handshake.Handshake;
import dev.certplane.handshake.TlsEndpoint;
import dev.certplane.handshake.TlsNetwork;
import dev.certplane.inventory.Sighting;
import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.Serials;

import org.junit.jupiter.api.Test;

/** The run logic without a network or a database: a fake {@link TlsNetwork}, targets and their schedule. */
class DiscoveryRunTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final X509Certificate CERTIFICATE = selfSigned();
    private static final Handshake SERVED = new Handshake(List.of(CERTIFICATE), "TLSv1.3", "TLS_AES_128_GCM_SHA256",
            null);
    private static final TlsNetwork.Timeouts TIMEOUTS = new TlsNetwork.Timeouts(Duration.ofSeconds(1),
            Duration.ofSeconds(1));

    @Test
    void aScanKeepsExactlyTheConfiguredNumberOfHandshakesInFlight() {
        int concurrency = 4;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // Each handshake waits until `concurrency` of them are in flight together: the scan only finishes if the
        // pool runs that many at once, and `most` shows it never runs more.
        CyclicBarrier together = new CyclicBarrier(concurrency);
        Set<TlsEndpoint> seen = ConcurrentHashMap.newKeySet();
        TlsNetwork network = (endpoint, timeouts) -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                together.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("the pool did not run " + concurrency + " handshakes at once", e);
            } finally {
                inFlight.decrementAndGet();
            }
            seen.add(endpoint);
            return SERVED;
        };
        List<TlsEndpoint> endpoints = new ArrayList<>();
        for (int port = 1; port <= 40; port++) {
            endpoints.add(new TlsEndpoint("192.0.2.1", port, null));
        }

        List<Sighting> observations = new Scanner(network, concurrency, TIMEOUTS).scan(endpoints);

        assertThat(observations).extracting(Sighting::endpoint).containsExactlyElementsOf(endpoints);
        assertThat(observations).allMatch(Sighting::answered);
        assertThat(seen).hasSize(40);
        assertThat(most.get()).isEqualTo(concurrency);
    }

    @Test
    void everyWayOfNotAnsweringBecomesAFailureOfThatEndpointOnly() {
        TlsNetwork network = (endpoint, timeouts) -> switch (endpoint.port()) {
            case 1 -> throw new ConnectException("Connection refused");
            case 2 -> throw new SocketTimeoutException("Read timed out");
            case 3 -> new Handshake(List.of(), "TLSv1.3", "TLS_AES_128_GCM_SHA256", null);
            case 4 -> throw new IllegalStateException();
            default -> SERVED;
        };
        List<TlsEndpoint> endpoints = List.of(endpoint(1), endpoint(2), endpoint(3), endpoint(4), endpoint(5));

        List<Sighting> observations = new Scanner(network, 2, TIMEOUTS).scan(endpoints);

        assertThat(observations).extracting(Sighting::failure).containsExactly("Connection refused",
                "Read timed out", "the server presented no certificate", "IllegalStateException", null);
        assertThat(observations.get(4).chain()).containsExactly(CERTIFICATE);
        assertThat(Discovery.failures(observations)).isEqualTo("4 of 5 endpoints did not answer: 192.0.2.1:1"
                + " (Connection refused); 192.0.2.1:2 (Read timed out); 192.0.2.1:3 (the server presented no"
                + " certificate); 192.0.2.1:4 (IllegalStateException)");
        assertThat(Discovery.failures(observations.subList(4, 5))).isNull();
        assertThat(new Scanner(network, 2, TIMEOUTS).scan(List.of())).isEmpty();
    }

    @Test
    void theFailureSummaryNamesTheFirstFiveAndTheSni() {
        List<Sighting> failed = new ArrayList<>();
        for (int port = 1; port <= 7; port++) {
            failed.add(new Sighting(new TlsEndpoint("2001:db8:0:0:0:0:0:1", port, "www.example.test"), List.of(),
                    "refused"));
        }
        assertThat(Discovery.failures(failed)).startsWith("7 of 7 endpoints did not answer: [2001:db8:0:0:0:0:0:1]:1"
                + " (SNI www.example.test) (refused); ").endsWith(":5 (SNI www.example.test) (refused); ...");
    }

    @Test
    void cidrTargetsExpandToEveryAddressAndPort() {
        ScanTargetDraft loopback = ScanTargetDraft.of("lo", null, "127.0.0.0/30", List.of(8443, 443, 443), null, null,
                null);
        assertThat(loopback.ports()).containsExactly(443, 8443);
        assertThat(loopback.expand()).containsExactly(new TlsEndpoint("127.0.0.1", 443, null),
                new TlsEndpoint("127.0.0.1", 8443, null), new TlsEndpoint("127.0.0.2", 443, null),
                new TlsEndpoint("127.0.0.2", 8443, null));
        assertThat(Cidr.parse("192.0.2.0/31").addresses()).containsExactly("192.0.2.0", "192.0.2.1");
        assertThat(Cidr.parse("192.0.2.9/32").addresses()).containsExactly("192.0.2.9");
        assertThat(Cidr.parse("10.0.0.0/20").addresses()).hasSize(4094).startsWith("10.0.0.1").endsWith("10.0.15.254");
        assertThat(Cidr.parse("2001:db8::/126").addresses()).containsExactly("2001:db8:0:0:0:0:0:0",
                "2001:db8:0:0:0:0:0:1", "2001:db8:0:0:0:0:0:2", "2001:db8:0:0:0:0:0:3");
        assertThat(Cidr.parse("2001:db8::1000/116").addresses()).hasSize(4096);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/19")).hasMessageContaining("covers 8192 addresses");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::/115")).hasMessageContaining("/116 or narrower for IPv6");
        assertThatThrownBy(() -> Cidr.parse("010.0.0.0/24")).hasMessageContaining("is not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("the prefix length 'x' is not a number");
    }

    @Test
    void endpointListsAreNormalizedAndCarryTheSni() {
        ScanTargetDraft web = ScanTargetDraft.of(" web ", List.of("WWW.Example.test:443", "[2001:db8::1]:8443",
                "192.0.2.1:443", "www.example.test:443"), null, null, "Shop.Example.test", 3600L, false);
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.endpoints()).containsExactly("www.example.test:443", "[2001:db8:0:0:0:0:0:1]:8443",
                "192.0.2.1:443");
        assertThat(web.expand()).containsExactly(new TlsEndpoint("www.example.test", 443, "shop.example.test"),
                new TlsEndpoint("2001:db8:0:0:0:0:0:1", 8443, "shop.example.test"),
                new TlsEndpoint("192.0.2.1", 443, "shop.example.test"));
        assertThat(web.enabled()).isFalse();
        assertThatThrownBy(() -> ScanTargetDraft.of("t", List.of("300.1.1.1:443"), null, null, null, null, null))
                .hasMessageContaining("its last label is all digits");
        assertThatThrownBy(() -> ScanTargetDraft.of("t", List.of("a.test:65536"), null, null, null, null, null))
                .hasMessage("endpoint 'a.test:65536': port 65536 is outside 1 to 65535");
        assertThatThrownBy(() -> ScanTargetDraft.of("t", List.of("[2001:db8::1]443"), null, null, null, null, null))
                .hasMessage("endpoint '[2001:db8::1]443' is not [IPv6]:port");
        assertThatThrownBy(() -> ScanTargetDraft.of("t", List.of("a.test:443"), null, List.of(443), null, null, null))
                .hasMessage("ports go with a cidr; give each endpoint as host:port");
        assertThatThrownBy(() -> ScanTargetDraft.of("t", List.of("a.test:443"), null, null, "a..test", null, null))
                .hasMessageStartingWith("sni 'a..test' is not a DNS name");
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= ScanTargetDraft.MAX_ENDPOINTS; i++) {
            many.add("h" + i + ".test:443");
        }
        assertThatThrownBy(() -> ScanTargetDraft.of("t", many, null, null, null, null, null))
                .hasMessageContaining("at most 256 endpoints");
    }

    @Test
    void theNextRunFollowsTheIntervalAQueuedRunAndTheLastRun() {
        assertThat(ScanTargets.nextRun(null, null, false, NOW)).isNull();
        assertThat(ScanTargets.nextRun(null, NOW.minusSeconds(10), true, NOW)).isEqualTo(NOW);
        assertThat(ScanTargets.nextRun(3600L, null, false, NOW)).isEqualTo(NOW);
        assertThat(ScanTargets.nextRun(3600L, NOW.minusSeconds(600), false, NOW)).isEqualTo(NOW.plusSeconds(3000));
        assertThat(ScanTargets.nextRun(3600L, NOW.minusSeconds(7200), false, NOW)).isEqualTo(NOW);
    }

    private static TlsEndpoint endpoint(int port) {
        return new TlsEndpoint("192.0.2.1", port, null);
    }

    private static X509Certificate selfSigned() {
        KeyPair keys = KeyType.EC_P256.generate();
        return CertificateSigner.sign(new CertificateSpec("CN=fake", keys.getPublic(), Serials.random(), NOW,
                NOW.plusSeconds(86400), false, null, Set.of(), List.of(), List.of("fake.test"), List.of(), null, null,
                null), null, keys.getPrivate());
    }
}
