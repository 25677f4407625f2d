package dev.certplane.inventory.internal.discovery;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The discovery poll as a db-scheduler recurring task: one replica runs each execution, and the next starts a
 * poll interval after the previous one ended, so polls (and the scans they run) never overlap.
 */
@Configuration(proxyBeanMethods = false)
class DiscoveryTasks {

    static final String TASK = "inventory-discovery";

    @Bean
    RecurringTask<Void> discoveryTask(Discovery discovery, DiscoverySettings settings) {
        return Tasks.recurring(TASK, FixedDelay.of(settings.pollInterval()))
                .execute((instance, context) -> discovery.poll());
    }
}
