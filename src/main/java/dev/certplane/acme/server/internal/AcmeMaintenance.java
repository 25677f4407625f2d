package dev.certplane.acme.server.internal;

import java.time.Clock;
import java.time.Duration;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import dev.certplane.acme.server.internal.store.NonceStore;
import dev.certplane.acme.server.internal.validation.ValidationSettings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Background upkeep, run by one replica at a time: forgetting spent nonces once they would have expired
 * anyway, failing orders whose finalization a crash interrupted (and held orders that expired waiting for change
 * approval; held orders are never treated as interrupted), and handing out answered challenges that a
 * stopped replica left unvalidated.
 */
@Configuration(proxyBeanMethods = false)
class AcmeMaintenance {

    static final String NONCE_TASK = "acme-spent-nonce-cleanup";
    static final String INTERRUPTED_TASK = "acme-interrupted-order-cleanup";
    static final String VALIDATION_RECOVERY_TASK = "acme-validation-recovery";
    /** Far longer than any finalize takes; an order still processing after this was interrupted. */
    static final Duration INTERRUPTED_AFTER = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(AcmeMaintenance.class);

    @Bean
    RecurringTask<Void> spentNonceCleanupTask(NonceStore nonces, Clock clock) {
        return Tasks.recurring(NONCE_TASK, FixedDelay.of(Duration.ofMinutes(10)))
                .execute((instance, context) -> nonces.forgetExpiredBefore(clock.instant()));
    }

    @Bean
    RecurringTask<Void> interruptedOrderCleanupTask(Orders orders) {
        return Tasks.recurring(INTERRUPTED_TASK, FixedDelay.of(Duration.ofMinutes(1))).execute((instance, context) -> {
            int failed = orders.failInterrupted(INTERRUPTED_AFTER);
            if (failed > 0) {
                log.warn("{} ACME orders were interrupted while finalizing and are now invalid", failed);
            }
            int expired = orders.failExpiredHeld();
            if (expired > 0) {
                log.info("{} ACME orders held for change approval expired before their change was approved", expired);
            }
        });
    }

    @Bean
    RecurringTask<Void> validationRecoveryTask(Challenges challenges, ValidationSettings settings) {
        return Tasks.recurring(VALIDATION_RECOVERY_TASK, FixedDelay.of(settings.recoveryInterval()))
                .execute((instance, context) -> {
                    int handedOut = challenges.recover();
                    if (handedOut > 0) {
                        log.info("{} answered ACME challenges were waiting for validation and are being validated now",
                                handedOut);
                    }
                });
    }
}
