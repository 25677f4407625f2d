package dev.certplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;
import dev.certplane.support.CertplaneIT;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox promise: an audit record commits or rolls back with the change it describes, and a record
 * that was committed but not yet chained when the process died is chained by the next run.
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
    AuditLog auditLog;

    @Autowired
    Clock clock;

    @Test
    void aRecordCommitsOrRollsBackWithItsTransaction() {
        AuditRecord committed = record("test.committed");
        AuditRecord rolledBack = record("test.rolled-back");
        tx.executeWithoutResult(status -> events.publishEvent(committed));
        tx.executeWithoutResult(status -> {
            events.publishEvent(rolledBack);
            status.setRollbackOnly();
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> found(committed) == 1);
        assertThat(found(rolledBack)).isZero();
        assertThat(jdbc.sql("select count(*) from audit_pending where event_id = :id").param("id", rolledBack.id())
                .query(Long.class).single()).isZero();
        assertThat(auditLog.verify().intact()).isTrue();
    }

    @Test
    void aRecordACrashLeftUnchainedIsChainedByTheNextRun() {
        UUID id = UUID.randomUUID();
        String target = "test:" + id;
        // What a process that died after committing its change, before chaining, leaves behind.
        jdbc.sql("""
                insert into audit_pending (event_id, occurred_at, actor, source_ip, action, target, outcome, details)
                values (:id, :t, 'someone', '192.0.2.1', 'test.crashed-before-chaining', :target, 'SUCCESS', '{}')
                """).param("id", id).param("t", Timestamp.from(clock.instant().minus(Duration.ofMinutes(10))))
                .param("target", target).update();

        await().atMost(Duration.ofSeconds(10)).until(() -> auditLog.search(
                new AuditQuery(null, "test.crashed-before-chaining", target, null, null, null, 0, 10)).total() == 1);
        assertThat(jdbc.sql("select count(*) from audit_pending").query(Long.class).single()).isZero();
        assertThat(auditLog.verify().intact()).isTrue();
    }

    private AuditRecord record(String action) {
        return AuditRecord.of(clock, action, "test:" + UUID.randomUUID(), Outcome.SUCCESS, Map.of("k", "v"));
    }

    private long found(AuditRecord record) {
        return auditLog.search(new AuditQuery(null, record.action(), record.target(), null, null, null, 0, 10)).total();
    }
}
