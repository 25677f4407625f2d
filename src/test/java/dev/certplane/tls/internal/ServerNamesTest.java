package dev.certplane.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class ServerNamesTest {

    @Test
    void loopbackAndTheExternalHostAreAlwaysCoveredOnceEach() {
        ServerNames names = ServerNames.of(URI.create("https://CP.Example.com:8443"), List.of("localhost", "cp.example.com"));

        assertThat(names.dnsNames()).containsExactly("localhost", "cp.example.com");
        assertThat(names.ipAddresses()).containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void ipAddressesAreWrittenAsCertificatesReportThem() {
        ServerNames names = ServerNames.of(URI.create("https://[2001:db8::1]:8443"), List.of("192.0.2.7"));

        assertThat(names.ipAddresses()).containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1", "2001:db8:0:0:0:0:0:1",
                "192.0.2.7");
    }

    @Test
    void aMalformedAddressIsRefusedWithItsValue() {
        assertThatThrownBy(() -> new TlsSettings(List.of("2001:db8::zz"), java.time.Duration.ofDays(90),
                java.time.Duration.ofDays(30), java.time.Duration.ofHours(1)))
                .hasMessageContaining("'2001:db8::zz' is not an IP address");
    }
}
