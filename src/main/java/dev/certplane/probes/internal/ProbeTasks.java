package dev.certplane.probes.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The probes' db-scheduler recurring tasks: one replica runs each execution, and the next starts an interval after
 * the previous one ended, so runs of a task never overlap.
 */
@Configuration(proxyBeanMethods = false)
class ProbeTasks {

    static final String POLL_TASK = "probe-poll";
    static final String CONFIRMATION_TASK = "probe-confirmations";

    @Bean
    RecurringTask<Void> probePollTask(ProbePoll poll, ProbeSettings settings) {
        return Tasks.recurring(POLL_TASK, FixedDelay.of(settings.pollInterval()))
                .execute((instance, context) -> poll.run());
    }

    @Bean
    RecurringTask<Void> probeConfirmationTask(Confirmations confirmations, ProbeSettings settings) {
        return Tasks.recurring(CONFIRMATION_TASK, FixedDelay.of(settings.confirmRetryInterval()))
                .execute((instance, context) -> confirmations.probePending());
    }
}
