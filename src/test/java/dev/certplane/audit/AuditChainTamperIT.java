package dev.certplane.audit;

import static dev.certplane.support.ApiClient.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.IntegrationTestConfig;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/** Alters and deletes audit rows behind the application's back, as an intruder with database access would. */
@CertplaneIT
@DirtiesContext
class AuditChainTamperIT {

    private static final String ADMIN = basic("admin", IntegrationTestConfig.ADMIN_PASSWORD);

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    JdbcClient jdbc;

    @Test
    void verificationFindsTheFirstAlteredRowAndThenADeletedOne() {
        ApiClient api = new ApiClient(port, certplane.caBundleFile());
        // Start-up wrote at least: CA created, user created, certificate signed, server certificate issued.
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/audit", ADMIN).json().get("total").asLong() >= 4);
        Response before = api.get("/api/audit/verify", ADMIN);
        assertThat(before.json().get("intact").asBoolean()).isTrue();
        assertThat(before.json().get("checkedEvents").asLong()).isGreaterThanOrEqualTo(4);

        jdbc.sql("update audit_events set actor = 'mallory' where seq = 2").update();
        Response altered = api.get("/api/audit/verify", ADMIN);

        assertThat(altered.json().get("intact").asBoolean()).isFalse();
        assertThat(altered.json().get("firstBrokenSeq").asLong()).isEqualTo(2);
        assertThat(altered.json().get("reason").asString()).contains("altered");

        jdbc.sql("update audit_events set actor = 'system' where seq = 2").update();
        assertThat(api.get("/api/audit/verify", ADMIN).json().get("intact").asBoolean()).isTrue();

        jdbc.sql("delete from audit_events where seq = 3").update();
        Response deleted = api.get("/api/audit/verify", ADMIN);

        assertThat(deleted.json().get("intact").asBoolean()).isFalse();
        assertThat(deleted.json().get("firstBrokenSeq").asLong()).isEqualTo(3);
        assertThat(deleted.json().get("reason").asString()).contains("missing");
    }
}
