package dev.certplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import dev.certplane.CertplaneApplication;
import dev.certplane.pki.Certificates;
import dev.certplane.secrets.MasterKeyException;
import dev.certplane.support.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Starts the same installation several times, as an operator restarting the server would. */
class CaRestartIT {

    @Test
    void theCaSurvivesARestartAndAWrongMasterKeyStopsStartUpWithAClearMessage() throws Exception {
        Path dataDir = Files.createTempDirectory("certplane-restart");
        Map<String, Object> installation = new HashMap<>(TestDatabase.forInstallation(dataDir,
                TestDatabase.postgres() ? TestDatabase.createPostgresDatabase() : null));
        installation.put("server.port", "0");

        String firstRoot;
        String firstIssuing;
        try (ConfigurableApplicationContext first = start(installation)) {
            firstRoot = Certificates.sha256Fingerprint(first.getBean(CertificateAuthority.class).root());
            firstIssuing = Certificates.sha256Fingerprint(first.getBean(CertificateAuthority.class).issuing());
            // What a crash between "record intent" and "store" leaves behind.
            first.getBean(JdbcClient.class).sql("""
                    insert into ca_issued_certificates (serial, authority_id, status, profile, subject, names,
                                                        not_before, not_after, created_at)
                    values ('abcdef', 'x', 'intent', 'p', 'CN=crashed', 'crashed.example', current_timestamp,
                            current_timestamp, current_timestamp - interval '1' hour)
                    """).update();
        }
        String bundleAfterFirst = Files.readString(dataDir.resolve("ca-bundle.pem"));
        try (ConfigurableApplicationContext second = start(installation)) {
            CertificateAuthority ca = second.getBean(CertificateAuthority.class);
            assertThat(Certificates.sha256Fingerprint(ca.root())).isEqualTo(firstRoot);
            assertThat(Certificates.sha256Fingerprint(ca.issuing())).isEqualTo(firstIssuing);
            assertThat(second.getBean(JdbcClient.class)
                    .sql("select status from ca_issued_certificates where serial = 'abcdef'").query(String.class).single())
                    .as("an intent left open by a crash is closed at the next start").isEqualTo("abandoned");
        }
        assertThat(Files.readString(dataDir.resolve("ca-bundle.pem"))).isEqualTo(bundleAfterFirst);

        Map<String, Object> wrongKey = new HashMap<>(installation);
        wrongKey.put("certplane.master-key", Base64.getEncoder().encodeToString(new byte[32]));
        assertThatThrownBy(() -> start(wrongKey).close())
                .hasRootCauseInstanceOf(MasterKeyException.class)
                .rootCause().hasMessageContaining("is not the key this installation's secrets were encrypted with");

        Files.delete(dataDir.resolve("master.key"));
        assertThatThrownBy(() -> start(installation).close())
                .hasRootCauseInstanceOf(MasterKeyException.class)
                .rootCause().hasMessageContaining("no master key");
        assertThat(dataDir.resolve("master.key")).as("never silently re-created").doesNotExist();
    }

    /** As command-line arguments, which win over application.yml like an operator's settings do. */
    private static ConfigurableApplicationContext start(Map<String, Object> properties) {
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(CertplaneApplication.class).run(args);
    }
}
