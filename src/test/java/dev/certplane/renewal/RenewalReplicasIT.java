package dev.certplane.renewal;

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
import java.util.function.Supplier;

import dev.certplane.CertplaneApplication;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.IntegrationTestConfig;
import dev.certplane.support.MutableClock;
import dev.certplane.support.RenewalApi;
import dev.certplane.support.TestDatabase;

import org.apache.tomcat.util.net.openssl.ciphers.OpenSSLCipherConfigurationParser;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two replicas on one database, both running the renewal tasks: sweeps asked of both at the same moment dispatch each
 * due renewal once, each attempt runs on one replica only (one new version per certificate), and renew now asked
 * of both at once gives one attempt and one 409.
 */
class RenewalReplicasIT {

    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    private static final int CERTIFICATES = 20;

    @Test
    void sweepsAndRenewNowOnTwoReplicasNeverDispatchTwice() throws Exception {
        Path shared = Files.createTempDirectory("certplane-shared");
        Map<String, String> database = TestDatabase.postgres()
                ? TestDatabase.forInstallation(shared, TestDatabase.createPostgresDatabase())
                : Map.of("spring.datasource.url", "jdbc:h2:file:" + shared + "/db/certplane" + H2_OPTIONS,
                        "spring.datasource.username", "sa", "spring.datasource.password", "");
        Flyway.configure().dataSource(database.get("spring.datasource.url"), database.get("spring.datasource.username"),
                database.get("spring.datasource.password")).locations("classpath:db/migration").load().migrate();
        // Two Tomcats in one JVM would race in this parser's unsynchronised one-time set-up.
        OpenSSLCipherConfigurationParser.parse("HIGH");
        String masterKey = Base64.getEncoder().encodeToString("thirty-two bytes of master key!!".getBytes());

        try (ConfigurableApplicationContext first = start(database, masterKey);
                ConfigurableApplicationContext second = start(database, masterKey)) {
            RenewalApi one = api(first);
            RenewalApi two = api(second);
            one.policy("\"scope\":\"organization\",\"organization\":\"replicas\",\"method\":\"internal\","
                    + "\"renewBeforeDays\":30,\"maxConcurrentRenewals\":100");
            List<String> managed = new ArrayList<>();
            List<String> firstAttempts = new ArrayList<>();
            for (int i = 0; i < CERTIFICATES; i++) {
                String id = one.managed("replica-" + i, "replicas", "replicas", List.of("r" + i + ".replicas.test"));
                managed.add(id);
                Response renew = (i % 2 == 0 ? one : two).renew(id);
                assertThat(renew.status()).as(renew.body()).isEqualTo(200);
                firstAttempts.add(renew.json().get("attemptId").asString());
            }
            firstAttempts.forEach(id -> one.awaitState(id, "completed"));

            for (ConfigurableApplicationContext replica : List.of(first, second)) {
                replica.getBean(MutableClock.class).advance(Duration.ofDays(61));
            }
            List<Response> sweeps = together(() -> one.api().send("POST", "/api/renewals/sweep", null, one.admin()),
                    () -> two.api().send("POST", "/api/renewals/sweep", null, two.admin()));
            int dispatched = 0;
            for (Response sweep : sweeps) {
                assertThat(sweep.status()).as(sweep.body()).isIn(200, 409);
                dispatched += sweep.status() == 200 ? sweep.json().get("dispatched").asInt() : 0;
            }
            assertThat(dispatched).isEqualTo(CERTIFICATES);

            JdbcClient jdbc = first.getBean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.sql(
                    "select count(*) from renewal_attempts where state = 'completed'").query(Long.class).single())
                    .isEqualTo(2L * CERTIFICATES));
            assertThat(jdbc.sql("select count(*) from renewal_attempts").query(Long.class).single())
                    .isEqualTo(2L * CERTIFICATES);
            assertThat(jdbc.sql("select count(*) from inv_certificate_versions").query(Long.class).single())
                    .as("one new version per certificate: no attempt ran twice").isEqualTo(2L * CERTIFICATES);
            managed.forEach(id -> assertThat(one.currentVersion(id)).isEqualTo(2));

            List<Response> renewNow = together(() -> one.renew(managed.get(0)), () -> two.renew(managed.get(0)));
            assertThat(renewNow.stream().map(Response::status).sorted().toList()).isEqualTo(List.of(200, 409));
            assertThat(one.attempts(managed.get(0))).hasSize(3);
        }
    }

    /** Sends both requests at the same moment from two threads. */
    private static List<Response> together(Supplier<Response> a, Supplier<Response> b) throws Exception {
        CyclicBarrier ready = new CyclicBarrier(2);
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (Supplier<Response> call : List.of(a, b)) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    ready.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return call.get();
            }));
        }
        List<Response> responses = new ArrayList<>();
        for (CompletableFuture<Response> call : calls) {
            responses.add(call.get(60, TimeUnit.SECONDS));
        }
        return responses;
    }

    private static RenewalApi api(ConfigurableApplicationContext replica) {
        int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
        return new RenewalApi(new ApiClient(port, replica.getBean(CertplaneProperties.class).caBundleFile()));
    }

    private static ConfigurableApplicationContext start(Map<String, String> database, String masterKey)
            throws Exception {
        List<String> args = new ArrayList<>();
        database.forEach((k, v) -> args.add("--" + k + "=" + v));
        args.add("--certplane.data-dir=" + Files.createTempDirectory("certplane-replica"));
        args.add("--certplane.master-key=" + masterKey);
        args.add("--certplane.admin-password=" + IntegrationTestConfig.ADMIN_PASSWORD);
        args.add("--certplane.acme.profiles.replicas.allowed-domains=.replicas.test");
        args.add("--certplane.renewal.runner-interval=1s");
        args.add("--db-scheduler.polling-interval=1s");
        args.add("--server.port=0");
        return new SpringApplicationBuilder(CertplaneApplication.class, IntegrationTestConfig.class)
                .run(args.toArray(String[]::new));
    }
}
