package dev.certplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import dev.certplane.CertplaneApplication;
import dev.certplane.pki.Certificates;
import dev.certplane.support.ServedCertificate;
import dev.certplane.support.TestDatabase;

import org.apache.tomcat.util.net.openssl.ciphers.OpenSSLCipherConfigurationParser;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two replicas start at the same moment on one empty database, as a fresh cluster would: exactly one CA,
 * one admin and one master-key check come out of it, and both replicas end up serving the newest server
 * certificate.
 */
class ConcurrentFirstStartIT {

    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    @Test
    void twoReplicasStartingTogetherShareOneCaOneAdminOneKeyCheckAndServeTheNewestCertificate() throws Exception {
        Path shared = Files.createTempDirectory("certplane-shared");
        Map<String, String> database = TestDatabase.postgres()
                ? TestDatabase.forInstallation(shared, TestDatabase.createPostgresDatabase())
                : Map.of("spring.datasource.url", "jdbc:h2:file:" + shared + "/db/certplane" + H2_OPTIONS,
                        "spring.datasource.username", "sa", "spring.datasource.password", "");
        migrate(database);
        // Two Tomcats in one JVM would race in this parser's unsynchronised one-time set-up; real replicas
        // are separate processes.
        OpenSSLCipherConfigurationParser.parse("HIGH");
        String masterKey = Base64.getEncoder().encodeToString("thirty-two bytes of master key!!".getBytes());

        // Both replicas wait for each other before creating beans and again before the first start-up step, so
        // they write the key check, the CA, the admin and their server certificates at about the same moment.
        // They are launched a second apart only because two Spring Boot applications initialising logging at
        // once in one JVM collide.
        CyclicBarrier lineUp = new CyclicBarrier(2);
        List<CompletableFuture<ConfigurableApplicationContext>> replicas = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path ownDataDir = Files.createTempDirectory("certplane-replica");
            replicas.add(CompletableFuture.supplyAsync(() -> start(database, ownDataDir, masterKey, lineUp)));
            Thread.sleep(1000);
        }

        try (ConfigurableApplicationContext first = replicas.get(0).get();
                ConfigurableApplicationContext second = replicas.get(1).get()) {
            assertThat(Certificates.sha256Fingerprint(first.getBean(CertificateAuthority.class).root()))
                    .isEqualTo(Certificates.sha256Fingerprint(second.getBean(CertificateAuthority.class).root()));
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            assertThat(count(jdbc, "ca_authorities")).isEqualTo(2);
            assertThat(count(jdbc, "ca_active")).isEqualTo(1);
            assertThat(count(jdbc, "security_users")).isEqualTo(1);
            assertThat(count(jdbc, "secrets_key_check")).isEqualTo(1);
            // Each replica may have issued a server certificate while starting; all serve the newest one.
            String newest = jdbc.sql("select serial from tls_server_certificates order by created_at desc, id desc"
                    + " limit 1").query(String.class).single();
            for (ConfigurableApplicationContext replica : List.of(first, second)) {
                int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Certificates.serialHex(ServedCertificate.on(port)).equals(newest));
            }
        }
    }

    /** Schema migration is Flyway's concern (it locks); this test is about what the application creates. */
    private static void migrate(Map<String, String> database) {
        Flyway.configure().dataSource(database.get("spring.datasource.url"),
                database.get("spring.datasource.username"), database.get("spring.datasource.password"))
                .locations("classpath:db/migration").load().migrate();
    }

    private static ConfigurableApplicationContext start(Map<String, String> database, Path ownDataDir,
            String masterKey, CyclicBarrier lineUp) {
        List<String> args = new ArrayList<>();
        database.forEach((k, v) -> args.add("--" + k + "=" + v));
        args.add("--certplane.data-dir=" + ownDataDir);
        args.add("--certplane.master-key=" + masterKey);
        args.add("--certplane.admin-password=concurrent-admin-password");
        args.add("--certplane.tls.reload-interval=1s");
        args.add("--server.port=0");
        return new SpringApplicationBuilder(CertplaneApplication.class)
                .initializers(context -> {
                    // Once before any bean exists (the master-key check), once before the CA step.
                    LineUp.await(lineUp);
                    context.getBeanFactory().registerSingleton("lineUp", new LineUp(lineUp));
                })
                .run(args.toArray(String[]::new));
    }

    private static long count(JdbcClient jdbc, String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    /** Holds a replica (here: just before the CA step, phase -200) until the other replica gets there too. */
    private record LineUp(CyclicBarrier barrier) implements SmartLifecycle {

        @Override
        public void start() {
            await(barrier);
        }

        static void await(CyclicBarrier barrier) {
            try {
                barrier.await(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the other replica never reached this start-up point", e);
            }
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isRunning() {
            return false;
        }

        @Override
        public int getPhase() {
            return -300;
        }
    }
}
