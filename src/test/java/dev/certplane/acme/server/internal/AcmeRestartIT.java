package dev.certplane.acme.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.certplane.CertplaneApplication;
import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.ProblemType;
import dev.certplane.support.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What must survive a restart, be shared by replicas, or stop start-up. */
class AcmeRestartIT {

    @Test
    void noncesSurviveRestartsAndAreSpentOnceAcrossReplicas() throws Exception {
        Map<String, Object> installation = installation();
        String issuedBeforeRestart;
        try (ConfigurableApplicationContext first = start(installation)) {
            issuedBeforeRestart = first.getBean(Nonces.class).issue();
        }
        try (ConfigurableApplicationContext second = start(installation)) {
            Nonces nonces = second.getBean(Nonces.class);
            nonces.spend(issuedBeforeRestart);
            assertThatThrownBy(() -> nonces.spend(issuedBeforeRestart)).isInstanceOfSatisfying(AcmeProblem.class, e -> {
                assertThat(e.type()).isEqualTo(ProblemType.BAD_NONCE);
                assertThat(e.detail()).contains("already used");
            });
            if (TestDatabase.postgres()) {
                // A second replica on the same database and master key.
                try (ConfigurableApplicationContext replica = start(installation)) {
                    String fromReplica = replica.getBean(Nonces.class).issue();
                    nonces.spend(fromReplica);
                    assertThatThrownBy(() -> replica.getBean(Nonces.class).spend(fromReplica))
                            .hasMessageContaining("already used");
                }
            }
        }
    }

    @Test
    void anOrderWhoseFinalizationWasInterruptedFailsCleanly() throws Exception {
        try (ConfigurableApplicationContext context = start(installation())) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            // What a crash between "processing" and "issued" leaves behind.
            jdbc.sql("""
                    insert into acme_orders (id, account_id, profile, progress, identifiers, expires, created_at,
                                             finalized_at, csr_sha256)
                    values ('interrupted', 'acct', 'default', 'processing', '[]', current_timestamp + interval '1' day,
                            current_timestamp - interval '1' hour, current_timestamp - interval '1' hour, 'x')
                    """).update();
            // The cleanup task may get there first; either way the order ends failed, with a reason.
            context.getBean(Orders.class).failInterrupted(Duration.ofMinutes(5));
            assertThat(jdbc.sql("select progress, error from acme_orders where id = 'interrupted'")
                    .query((rs, n) -> rs.getString(1) + " " + rs.getString(2)).single())
                    .startsWith("failed ").contains("urn:ietf:params:acme:error:serverInternal").contains("interrupted");
        }
    }

    @Test
    void aProfileThatChecksCaaWithoutIssuerNamesStopsStartUpNamingTheSetting() throws Exception {
        Map<String, Object> installation = installation();
        installation.put("certplane.acme.profiles.edge.auth-mode", "challenge");
        installation.put("certplane.acme.profiles.edge.caa", "true");
        assertThatThrownBy(() -> start(installation).close()).rootCause()
                .isInstanceOf(AcmeConfigurationException.class)
                .hasMessageContaining("certplane.acme.profiles.edge")
                .hasMessageContaining("caa is on but caa-identities is empty");
    }

    private static Map<String, Object> installation() throws Exception {
        Path dataDir = Files.createTempDirectory("certplane-acme-restart");
        Map<String, Object> installation = new HashMap<>(TestDatabase.forInstallation(dataDir,
                TestDatabase.postgres() ? TestDatabase.createPostgresDatabase() : null));
        installation.put("server.port", "0");
        return installation;
    }

    /** As command-line arguments, which win over application.yml like an operator's settings do. */
    private static ConfigurableApplicationContext start(Map<String, Object> properties) {
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(CertplaneApplication.class).run(args);
    }
}
