package dev.certplane.acme.client.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Advances due workflows, on one replica at a time; a workflow interrupted anywhere is resumed by the next run. */
@Configuration(proxyBeanMethods = false)
class WorkflowTasks {

    static final String TASK = "acme-client-workflows";

    @Bean
    RecurringTask<Void> acmeClientWorkflowTask(WorkflowEngine engine, AcmeClientSettings settings) {
        return Tasks.recurring(TASK, FixedDelay.of(settings.runInterval()))
                .execute((instance, context) -> engine.runDue());
    }
}
