package dev.certplane.renewal.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The renewal's db-scheduler recurring tasks: the sweep (daily by default) and the attempt runner. One replica runs
 * each execution; the sweep lease also keeps an on-demand sweep from running beside a scheduled one.
 */
@Configuration(proxyBeanMethods = false)
class RenewalTasks {

    static final String SWEEP_TASK = "renewal-sweep";
    static final String RUNNER_TASK = "renewal-attempts";

    @Bean
    RecurringTask<Void> renewalSweepTask(SweepRunner sweep, RenewalSettings settings) {
        return Tasks.recurring(SWEEP_TASK, FixedDelay.of(settings.sweepInterval()))
                .execute((instance, context) -> {
                    try {
                        sweep.run("scheduled", SweepRunner.ACTOR);
                    } catch (dev.certplane.renewal.RenewalConflictException e) {
                        // An on-demand sweep holds the lease: it is this execution's sweep.
                    }
                });
    }

    @Bean
    RecurringTask<Void> renewalAttemptTask(AttemptRunner runner, RenewalSettings settings) {
        return Tasks.recurring(RUNNER_TASK, FixedDelay.of(settings.runnerInterval()))
                .execute((instance, context) -> runner.runDue());
    }
}
