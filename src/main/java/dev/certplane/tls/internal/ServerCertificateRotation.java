package dev.certplane.tls.internal;


import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Keeps the served certificate current. One replica at a time runs the renewal check (a db-scheduler
 * recurring task); every replica polls for a newer stored certificate so all of them serve it.
 */
@Configuration(proxyBeanMethods = false)
class ServerCertificateRotation {

    static final String TASK = "tls-server-certificate-renewal";

    private final ServerCertificates certificates;
    private final ServerTlsBundle bundle;
    private final CaBundleFile caBundle;

    ServerCertificateRotation(ServerCertificates certificates, ServerTlsBundle bundle, CaBundleFile caBundle) {
        this.certificates = certificates;
        this.bundle = bundle;
        this.caBundle = caBundle;
    }

    /** Renews when due, then serves the current certificate and rewrites the CA bundle. */
    void rotateIfDue() {
        bundle.serve(certificates.ensureCurrent());
        caBundle.write(certificates.trustedCertificates());
    }

    @Bean
    RecurringTask<Void> serverCertificateRenewalTask(TlsSettings settings) {
        return Tasks.recurring(TASK, FixedDelay.of(settings.checkInterval()))
                .execute((instance, context) -> rotateIfDue());
    }

    @Scheduled(fixedDelayString = "${certplane.tls.reload-interval:60s}", initialDelayString = "${certplane.tls.reload-interval:60s}")
    void reloadIfRenewedElsewhere() {
        if (!certificates.storedId().equals(java.util.Optional.ofNullable(bundle.servedId()))) {
            certificates.stored().ifPresent(bundle::serve);
        }
    }

}
