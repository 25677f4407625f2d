package dev.certplane.delivery.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import dev.certplane.delivery.CertificateTokens;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts each token's expiry into the audit trail once, run by one replica at a time. Refusal itself does not
 * wait for this: an expired token is refused from the instant it expires.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryMaintenance {

    static final String EXPIRY_TASK = "delivery-token-expiry";

    @Bean
    RecurringTask<Void> tokenExpiryTask(CertificateTokens tokens, DeliverySettings settings) {
        return Tasks.recurring(EXPIRY_TASK, FixedDelay.of(settings.expiryCheckInterval()))
                .execute((instance, context) -> tokens.recordExpiries());
    }
}
