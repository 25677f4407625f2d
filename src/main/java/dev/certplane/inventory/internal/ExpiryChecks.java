package dev.certplane.inventory.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;

import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Runs the expiry loop on demand by moving the recurring task's one execution forward, rather than adding a
 * second task: two executions could run at once on two replicas, one execution cannot.
 */
@Component
public class ExpiryChecks {

    /**
     * db-scheduler keeps its own (system) clock, which the injected one need not match (tests move theirs); an
     * execution time in the past is due on any clock, so the run starts at the scheduler's next poll.
     */
    private static final Instant DUE = Instant.EPOCH;

    private final SchedulerClient scheduler;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ExpiryChecks(SchedulerClient scheduler, ApplicationEventPublisher events, Clock clock) {
        this.scheduler = scheduler;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @return true if a run was scheduled, false if one is running now (that run is the check) or another replica
     *     moved the execution at the same moment
     */
    public boolean requestRun() {
        TaskInstanceId id = TaskInstanceId.of(ExpiryLoopTask.TASK, RecurringTask.INSTANCE);
        boolean scheduled;
        try {
            scheduled = scheduler.reschedule(id, DUE);
        } catch (TaskInstanceCurrentlyExecutingException e) {
            scheduled = false;
        } catch (TaskInstanceNotFoundException e) {
            // Only before the scheduler's first start has created the recurring execution.
            scheduled = scheduler.scheduleIfNotExists(new TaskInstance<Void>(id.getTaskName(), id.getId()), DUE);
        }
        events.publishEvent(AuditRecord.of(clock, "inventory.expiry-check.requested", "inventory:expiry-loop",
                Outcome.SUCCESS, Map.of("state", scheduled ? "scheduled" : "running")));
        return scheduled;
    }
}
