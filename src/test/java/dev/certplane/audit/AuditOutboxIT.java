package dev.certplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;

import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;
import dev.certplane.support.CertplaneIT;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox promise: an audit record whose publication was committed but never delivered (the process
 * died after commit) reaches the log through the resubmission job.
 */
@CertplaneIT
class AuditOutboxIT {

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SchedulerClient scheduler;

    @Autowired
    AuditLog auditLog;

    @Autowired
    Clock clock;

    @Autowired
    EventSerializer serializer;

    @Test
    void aPublicationLeftBehindByACrashIsDeliveredByTheResubmissionJob() {
        AuditRecord record = AuditRecord.of(clock, "test.crashed-after-commit", "test:" + UUID.randomUUID(),
                Outcome.SUCCESS, Map.of());
        // The registry's row for a probe record gives the audit listener's id and the state the registry writes
        // at publication; that transaction is rolled back, so nothing is delivered. The probe stays "in
        // progress" in this JVM's memory, so the row written below is for another record, exactly as a process
        // that died after committing would have left it.
        AuditRecord probe = AuditRecord.of(clock, "test.probe", "test:probe", Outcome.SUCCESS, Map.of());
        Map<String, Object> probeRow = tx.execute(status -> {
            events.publishEvent(probe);
            status.setRollbackOnly();
            return jdbc.sql("select listener_id, event_type, status, completion_attempts from event_publication"
                            + " where serialized_event like :id")
                    .param("id", "%" + probe.id() + "%").query().singleRow();
        });
        jdbc.sql("""
                insert into event_publication (id, listener_id, event_type, serialized_event, publication_date, status,
                                               completion_attempts)
                values (:id, :listener, :type, :event, :published, :status, :attempts)
                """)
                .param("id", UUID.randomUUID()).param("listener", probeRow.get("listener_id"))
                .param("type", probeRow.get("event_type")).param("event", serializer.serialize(record).toString())
                .param("published", Timestamp.from(clock.instant().minus(Duration.ofMinutes(10))))
                .param("status", probeRow.get("status")).param("attempts", probeRow.get("completion_attempts"))
                .update();
        assertThat(found(record)).isZero();

        scheduler.reschedule(TaskInstanceId.of("event-publication-resubmission", RecurringTask.INSTANCE), Instant.now());

        await().atMost(Duration.ofSeconds(20)).until(() -> found(record) == 1);
        assertThat(auditLog.verify().intact()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.sql("select count(*) from event_publication")
                .query(Long.class).single() == 0);
    }

    private long found(AuditRecord record) {
        return auditLog.search(new AuditQuery(null, record.action(), record.target(), null, null, null, 0, 10)).total();
    }
}
