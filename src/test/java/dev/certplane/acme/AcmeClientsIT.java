package dev.certplane.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
 * Unmodified certbot and lego, as Debian ships them, against a started server configured only through the
 * documented properties: register, issue (one name, several, a wildcard), renew and revoke.
 */
@AcmeIT
class AcmeClientsIT {

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    JdbcClient jdbc;

    @Test
    void certbotRegistersIssuesRenewsAndRevokes(@TempDir Path work) throws Exception {
        var certbot = AcmeClients.certbot("https://localhost:" + port + "/acme/directory", certplane.caBundleFile(), work);

        certbot.certonly("single", List.of("certbot.example.test"));
        assertThat(AcmeClients.dnsNames(certbot.issued("single"))).containsExactly("certbot.example.test");
        assertThat(AcmeClients.readCertificates(certbot.fullchain("single"))).hasSize(2);

        certbot.certonly("multi", List.of("a.certbot.example.test", "b.certbot.example.test", "c.certbot.example.test"));
        assertThat(AcmeClients.dnsNames(certbot.issued("multi")))
                .containsExactlyInAnyOrder("a.certbot.example.test", "b.certbot.example.test", "c.certbot.example.test");

        certbot.certonly("wildcard", List.of("*.certbot.example.test", "certbot.example.test"));
        assertThat(AcmeClients.dnsNames(certbot.issued("wildcard")))
                .containsExactlyInAnyOrder("*.certbot.example.test", "certbot.example.test");

        X509Certificate before = certbot.issued("single");
        certbot.renew("single");
        X509Certificate after = certbot.issued("single");
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
        assertThat(AcmeClients.dnsNames(after)).containsExactly("certbot.example.test");

        certbot.revoke("single", RevocationReason.KEY_COMPROMISE);
        assertRevoked(after, RevocationReason.KEY_COMPROMISE);
    }

    @Test
    void legoRegistersIssuesRenewsAndRevokes(@TempDir Path work) throws Exception {
        var lego = AcmeClients.lego("https://localhost:" + port + "/acme/directory", certplane.caBundleFile(), work);

        lego.run(List.of("lego.example.test"));
        assertThat(AcmeClients.dnsNames(lego.issued("lego.example.test"))).containsExactly("lego.example.test");

        lego.run(List.of("a.lego.example.test", "b.lego.example.test", "c.lego.example.test"));
        assertThat(AcmeClients.dnsNames(lego.issued("a.lego.example.test")))
                .containsExactlyInAnyOrder("a.lego.example.test", "b.lego.example.test", "c.lego.example.test");

        lego.run(List.of("*.lego.example.test"));
        assertThat(AcmeClients.dnsNames(lego.issued("*.lego.example.test"))).containsExactly("*.lego.example.test");

        X509Certificate before = lego.issued("lego.example.test");
        lego.renew(List.of("lego.example.test"));
        X509Certificate after = lego.issued("lego.example.test");
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());

        lego.revoke("lego.example.test", RevocationReason.SUPERSEDED);
        assertRevoked(after, RevocationReason.SUPERSEDED);
    }

    @Test
    void aClientAskingForANameTheProfileDoesNotAllowIsToldWhich(@TempDir Path work) throws Exception {
        var certbot = AcmeClients.certbot("https://localhost:" + port + "/acme/strict/directory",
                certplane.caBundleFile(), work);
        var run = certbot.attempt(List.of("certonly", "--cert-name", "refused", "--manual", "--preferred-challenges",
                "http-01", "--manual-auth-hook", "true", "-d", "outside.example.test"));
        assertThat(run.succeeded()).isFalse();
        assertThat(run.output()).contains("profile 'strict' does not allow outside.example.test");
        assertThat(Files.exists(certbot.certificate("refused"))).isFalse();
    }

    private void assertRevoked(X509Certificate certificate, RevocationReason reason) {
        assertThat(jdbc.sql("select status, revocation_reason from acme_certificates where serial = :s")
                .param("s", certificate.getSerialNumber().toString(16))
                .query((rs, n) -> rs.getString(1) + "/" + rs.getInt(2)).single())
                .isEqualTo("revoked/" + reason.code);
    }
}
