package dev.certplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;

import dev.certplane.audit.AuditLog;
import dev.certplane.audit.AuditQuery;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.MutableClock;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/** The HTTPS certificate is renewed by the scheduled job and served at once, with no restart. */
@CertplaneIT
@DirtiesContext
class ServerCertificateRenewalIT {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    SchedulerClient scheduler;

    @Autowired
    AuditLog auditLog;

    @Test
    void theRenewalJobReplacesTheServedCertificateWithoutARestart() throws Exception {
        X509Certificate before = served();
        assertThat(before.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");

        // 90-day certificate, renewed in its last 30 days.
        clock.advance(Duration.ofDays(61));
        scheduler.reschedule(TaskInstanceId.of("tls-server-certificate-renewal", RecurringTask.INSTANCE), Instant.now());

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> !served().getSerialNumber().equals(before.getSerialNumber()));
        X509Certificate after = served();
        assertThat(after.getNotAfter()).isAfter(before.getNotAfter());
        assertThat(after.getIssuerX500Principal()).isEqualTo(before.getIssuerX500Principal());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(auditLog.search(
                new AuditQuery(null, "server-certificate.renewed", null, null, null, null, 0, 10)).total()).isEqualTo(1));
    }

    /** The certificate a fresh TLS connection is served, recorded rather than checked. */
    private X509Certificate served() throws Exception {
        SSLContext recordOnly = SSLContext.getInstance("TLS");
        recordOnly.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        // A new client each time: a pooled connection would keep the old handshake.
        HttpClient client = HttpClient.newBuilder().sslContext(recordOnly).build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }
}
