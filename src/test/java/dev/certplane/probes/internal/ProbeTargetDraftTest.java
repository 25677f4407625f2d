package dev.certplane.probes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certplane.handshake.Starttls;
import dev.certplane.handshake.TlsEndpoint;

import org.junit.jupiter.api.Test;

class ProbeTargetDraftTest {

    @Test
    void hostsAndNamesAreNormalizedAndTheHostIsSentAsSniOnlyWhenItIsAName() {
        ProbeTargetDraft byName = ProbeTargetDraft.of(" Shop.Example.TEST ", 443, null, null, " m1 ", 3600L, null);
        assertThat(byName.host()).isEqualTo("shop.example.test");
        assertThat(byName.managedCertificateId()).isEqualTo("m1");
        assertThat(byName.enabled()).isTrue();
        assertThat(byName.starttls()).isEqualTo(Starttls.NONE);
        assertThat(byName.name()).isEqualTo("shop.example.test");
        assertThat(byName.endpoint()).isEqualTo(new TlsEndpoint("shop.example.test", 443, "shop.example.test"));

        ProbeTargetDraft byAddress = ProbeTargetDraft.of("[2001:db8::1]", 8443, null, "SMTP", "m1", null, false);
        assertThat(byAddress.host()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(byAddress.endpoint()).isEqualTo(new TlsEndpoint("2001:db8:0:0:0:0:0:1", 8443, null, Starttls.SMTP));
        assertThat(byAddress.describe()).isEqualTo("[2001:db8:0:0:0:0:0:1]:8443 (STARTTLS smtp)");
        assertThat(byAddress.enabled()).isFalse();

        ProbeTargetDraft withSni = ProbeTargetDraft.of("127.0.0.1", 443, "WWW.Example.test", "none", "m1", null, null);
        assertThat(withSni.name()).isEqualTo("www.example.test");
        assertThat(withSni.endpoint().sni()).isEqualTo("www.example.test");
        assertThat(withSni.describe()).isEqualTo("127.0.0.1:443 (SNI www.example.test)");
    }

    @Test
    void everyBadFieldIsNamedWithItsValue() {
        assertThatThrownBy(() -> ProbeTargetDraft.of(" ", 443, null, null, "m1", null, null))
                .hasMessage("host must be a DNS name or an IP address, such as shop.example.com");
        assertThatThrownBy(() -> ProbeTargetDraft.of("shop_1.example.test", 443, null, null, "m1", null, null))
                .hasMessageStartingWith("host: host 'shop_1.example.test' is not an IP address or a DNS name: label"
                        + " 'shop_1' contains '_'");
        assertThatThrownBy(() -> ProbeTargetDraft.of("a.test", null, null, null, "m1", null, null))
                .hasMessage("port is required, such as 443");
        assertThatThrownBy(() -> ProbeTargetDraft.of("a.test", 70000, null, null, "m1", null, null))
                .hasMessage("port 70000 is outside 1 to 65535");
        assertThatThrownBy(() -> ProbeTargetDraft.of("a.test", 443, "192.0.2.1", null, "m1", null, null))
                .hasMessage("sni '192.0.2.1' is an IP address; server_name carries only DNS names (RFC 6066 3)");
        assertThatThrownBy(() -> ProbeTargetDraft.of("a.test", 443, null, "imap", "m1", null, null))
                .hasMessage("starttls 'imap' is not supported; use smtp, or none for TLS from the first byte");
        assertThatThrownBy(() -> ProbeTargetDraft.of("a.test", 443, null, null, null, null, null))
                .hasMessage("managedCertificateId must name the managed certificate the endpoint should serve");
        assertThatThrownBy(() -> ProbeTargetDraft.of("a.test", 443, null, null, "m1", 59L, null))
                .hasMessageStartingWith("intervalSeconds must be from 60 to 31622400 (a year), or null");
    }

    @Test
    void statusesAreReadInTheirWireForm() {
        assertThat(ProbeStatus.parse(" Incomplete_Chain ")).isEqualTo(ProbeStatus.INCOMPLETE_CHAIN);
        assertThatThrownBy(() -> ProbeStatus.parse("broken")).hasMessageStartingWith("unknown status 'broken'; use ok,");
    }
}
