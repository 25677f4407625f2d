package dev.certplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import dev.certplane.CertplaneApplication;
import dev.certplane.pki.Certificates;
import dev.certplane.support.TestDatabase;

import org.apache.tomcat.util.net.openssl.ciphers.OpenSSLCipherConfigurationParser;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two replicas start at the same moment on one empty database, as a fresh cluster would: exactly one CA,
 * one admin and one master-key check come out of it, and both replicas serve with the same CA.
 */
class ConcurrentFirstStartIT {

    @Test
    void twoReplicasStartingTogetherShareOneCaOneAdminAndOneKeyCheck() throws Exception {
        Map<String, String> database = TestDatabase.forInstallation(Files.createTempDirectory("certplane-shared"),
                TestDatabase.postgres() ? TestDatabase.createPostgresDatabase() : null);
        migrate(database);
        // Two Tomcats in one JVM would race in this parser's unsynchronised one-time set-up; real replicas
        // are separate processes.
        OpenSSLCipherConfigurationParser.parse("HIGH");
        String masterKey = Base64.getEncoder().encodeToString(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                29, 30, 31, 32});
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<ConfigurableApplicationContext>> replicas = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path ownDataDir = Files.createTempDirectory("certplane-replica");
            replicas.add(CompletableFuture.supplyAsync(() -> {
                await(go);
                return start(database, ownDataDir, masterKey);
            }));
        }
        go.countDown();

        try (ConfigurableApplicationContext first = replicas.get(0).get();
                ConfigurableApplicationContext second = replicas.get(1).get()) {
            assertThat(Certificates.sha256Fingerprint(first.getBean(CertificateAuthority.class).root()))
                    .isEqualTo(Certificates.sha256Fingerprint(second.getBean(CertificateAuthority.class).root()));
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            assertThat(count(jdbc, "ca_authorities")).isEqualTo(2);
            assertThat(count(jdbc, "ca_active")).isEqualTo(1);
            assertThat(count(jdbc, "security_users")).isEqualTo(1);
            assertThat(count(jdbc, "secrets_key_check")).isEqualTo(1);
        }
    }

    /** Schema migration is Flyway's concern (it locks); this test is about what the application creates. */
    private static void migrate(Map<String, String> database) {
        String url = database.getOrDefault("spring.datasource.url",
                "jdbc:h2:file:" + database.get("certplane.data-dir")
                        + "/db/certplane;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        String user = database.getOrDefault("spring.datasource.username", "sa");
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").load().migrate();
    }

    private static ConfigurableApplicationContext start(Map<String, String> database, Path ownDataDir,
            String masterKey) {
        List<String> args = new ArrayList<>();
        database.forEach((k, v) -> args.add("--" + k + "=" + v));
        if (!database.containsKey("spring.datasource.url")) {
            // H2: both replicas open the same embedded database file.
            args.add("--spring.datasource.url=jdbc:h2:file:" + database.get("certplane.data-dir")
                    + "/db/certplane;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        }
        args.add("--certplane.data-dir=" + ownDataDir);
        args.add("--certplane.master-key=" + masterKey);
        args.add("--certplane.admin-password=concurrent-admin-password");
        args.add("--server.port=0");
        return new SpringApplicationBuilder(CertplaneApplication.class).run(args.toArray(String[]::new));
    }

    private static long count(JdbcClient jdbc, String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
