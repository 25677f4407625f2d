package dev.certplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;

import dev.certplane.audit.AuditLog;
import dev.certplane.audit.AuditQuery;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.MutableClock;
import dev.certplane.support.ServedCertificate;

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
    void theRenewalJobReplacesTheServedCertificateWithoutARestart() {
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

    private X509Certificate served() {
        return ServedCertificate.on(port);
    }
}
