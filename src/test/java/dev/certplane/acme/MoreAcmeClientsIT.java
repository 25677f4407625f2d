package dev.certplane.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.AcmeClients;
import dev.certplane.support.AcmeClients.RevocationReason;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * More unmodified ACME clients, as Debian 12 ships them, against a started server configured only through
 * the documented properties: dehydrated and uacme register, issue (several names, a wildcard), renew and
 * revoke; Caddy obtains a certificate by itself and serves it.
 */
@AcmeIT
class MoreAcmeClientsIT {

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    JdbcClient jdbc;

    @Test
    void dehydratedRegistersIssuesRenewsAndRevokes(@TempDir Path work) throws Exception {
        var dehydrated = AcmeClients.dehydrated(directory(), certplane.caBundleFile(), work);
        List<String> names = List.of("dehydrated.example.test", "www.dehydrated.example.test");

        dehydrated.register();
        dehydrated.issue("site", names);
        X509Certificate before = dehydrated.issued("site");
        assertThat(AcmeClients.dnsNames(before)).containsExactlyInAnyOrderElementsOf(names);
        assertIssuedByOurCa(before);
        assertThat(AcmeClients.readCertificates(dehydrated.fullchain("site"))).hasSize(2);

        dehydrated.issue("wildcard", List.of("*.dehydrated.example.test"));
        assertThat(AcmeClients.dnsNames(dehydrated.issued("wildcard"))).containsExactly("*.dehydrated.example.test");

        dehydrated.renew("site", names);
        X509Certificate after = dehydrated.issued("site");
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
        assertThat(AcmeClients.dnsNames(after)).containsExactlyInAnyOrderElementsOf(names);

        dehydrated.revoke("site"); // dehydrated sends no reason
        assertRevoked(after, RevocationReason.UNSPECIFIED);
    }

    @Test
    void uacmeRegistersIssuesRenewsAndRevokes(@TempDir Path work) throws Exception {
        var uacme = AcmeClients.uacme(directory(), certplane.caBundleFile(), work);
        List<String> names = List.of("uacme.example.test", "www.uacme.example.test");

        uacme.register();
        uacme.issue(names);
        X509Certificate before = uacme.issued("uacme.example.test");
        assertThat(AcmeClients.dnsNames(before)).containsExactlyInAnyOrderElementsOf(names);
        assertIssuedByOurCa(before);
        assertThat(AcmeClients.readCertificates(uacme.certificate("uacme.example.test"))).hasSize(2);

        uacme.issue(List.of("*.wild.uacme.example.test"));
        assertThat(AcmeClients.dnsNames(uacme.issued("*.wild.uacme.example.test")))
                .containsExactly("*.wild.uacme.example.test");

        uacme.renew(names);
        X509Certificate after = uacme.issued("uacme.example.test");
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());

        uacme.revoke("uacme.example.test", RevocationReason.SUPERSEDED);
        assertRevoked(after, RevocationReason.SUPERSEDED);
    }

    @Test
    void caddyObtainsACertificateAndServesIt(@TempDir Path work) throws Exception {
        try (var caddy = AcmeClients.caddy(directory(), certplane.caBundleFile(), work).serve("caddy.example.test")) {
            // The handshake itself checks the chain against the CA bundle and the name against the certificate.
            var served = caddy.awaitServed();

            assertThat(served.body()).isEqualTo(AcmeClients.Caddy.BODY);
            assertThat(AcmeClients.dnsNames(served.leaf())).containsExactly("caddy.example.test");
            assertIssuedByOurCa(served.leaf());
            assertThat(jdbc.sql("select names from acme_certificates where serial = :s")
                    .param("s", served.leaf().getSerialNumber().toString(16)).query(String.class).single())
                    .isEqualTo("caddy.example.test");
        }
    }

    private String directory() {
        return "https://localhost:" + port + "/acme/directory";
    }

    /** Signed by the issuing CA of the bundle clients are given (the certificate in it that is not self-signed). */
    private void assertIssuedByOurCa(X509Certificate certificate) throws Exception {
        X509Certificate issuing = AcmeClients.readCertificates(certplane.caBundleFile()).stream()
                .filter(c -> !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())).findFirst().orElseThrow();
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(issuing.getSubjectX500Principal());
        certificate.verify(issuing.getPublicKey());
    }

    private void assertRevoked(X509Certificate certificate, RevocationReason reason) {
        assertThat(jdbc.sql("select status, revocation_reason from acme_certificates where serial = :s")
                .param("s", certificate.getSerialNumber().toString(16))
                .query((rs, n) -> rs.getString(1) + "/" + rs.getInt(2)).single())
                .isEqualTo("revoked/" + reason.code);
    }
}
