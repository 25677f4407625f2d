package dev.certplane.inventory.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The expiry loop as a db-scheduler recurring task: one execution row in {@code scheduled_tasks}, so exactly one
 * replica runs each execution, and a replica that dies mid-run leaves it to another.
 */
@Configuration(proxyBeanMethods = false)
class ExpiryLoopTask {

    static final String TASK = "inventory-expiry-loop";

    @Bean
    RecurringTask<Void> inventoryExpiryLoop(ExpiryLoop loop, ExpiryLoopSettings settings) {
        return Tasks.recurring(TASK, FixedDelay.of(settings.expiryLoopInterval()))
                .execute((instance, context) -> loop.run());
    }
}
