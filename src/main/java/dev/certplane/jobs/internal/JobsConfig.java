package dev.certplane.jobs.internal;

import java.time.Duration;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Background work shared by features. Event listeners run asynchronously after commit; a publication
 * whose listener failed (or whose replica died) stays in the registry and this task hands it out again,
 * on one replica at a time. Listeners are idempotent, so a second delivery is harmless.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
@EnableScheduling
class JobsConfig {

    static final String RESUBMIT_TASK = "event-publication-resubmission";
    /** Long enough that a publication still being processed is not handed out twice. */
    private static final Duration STALE = Duration.ofMinutes(2);

    @Bean
    RecurringTask<Void> eventPublicationResubmission(IncompleteEventPublications publications) {
        return Tasks.recurring(RESUBMIT_TASK, FixedDelay.of(Duration.ofMinutes(1)))
                .execute((instance, context) -> publications.resubmitIncompletePublicationsOlderThan(STALE));
    }
}
