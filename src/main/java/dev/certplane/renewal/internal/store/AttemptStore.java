package dev.certplane.renewal.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.renewal.AttemptState;
import dev.certplane.renewal.RenewalAttempt;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Owns {@code renewal_attempts}. Every state change is a compare-and-set on the state it leaves, so a late or
 * duplicate worker changes nothing; {@code open_key} keeps one open attempt per managed certificate.
 */
@Repository
public class AttemptStore {

    private final JdbcClient jdbc;

    AttemptStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false if the managed certificate has an open attempt already */
    public boolean insert(RenewalAttempt a) {
        try {
            jdbc.sql("""
                    insert into renewal_attempts (id, managed_certificate_id, open_key, policy_id, method, state,
                        trigger_kind, requested_by, reference, job_reference, change_record_id, old_version,
                        old_not_after, consecutive_failures, interruptions, created_at, updated_at)
                    values (:id, :managed, :open, :policy, :method, :state, :trigger, :requestedBy, :reference, null,
                        :changeRecord, :oldVersion, :oldNotAfter, 0, 0, :created, :created)
                    """).param("id", a.id()).param("managed", a.managedCertificateId())
                    .param("open", a.state().open() ? a.managedCertificateId() : null).param("policy", a.policyId())
                    .param("method", a.method()).param("state", a.state().wire()).param("trigger", a.trigger())
                    .param("requestedBy", a.requestedBy()).param("reference", a.reference())
                    .param("changeRecord", a.changeRecordId()).param("oldVersion", a.oldVersion())
                    .param("oldNotAfter", timestamp(a.oldNotAfter())).param("created", Timestamp.from(a.createdAt()))
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public Optional<RenewalAttempt> find(String id) {
        return jdbc.sql("select * from renewal_attempts where id = :id").param("id", id).query(AttemptStore::attempt)
                .optional();
    }

    /** Locks the attempt's row until the transaction ends. */
    public Optional<RenewalAttempt> lock(String id) {
        return jdbc.sql("select * from renewal_attempts where id = :id for update").param("id", id)
                .query(AttemptStore::attempt).optional();
    }

    /** The managed certificate's open attempt, if any. */
    public Optional<RenewalAttempt> open(String managedCertificateId) {
        return jdbc.sql("select * from renewal_attempts where open_key = :managed").param("managed", managedCertificateId)
                .query(AttemptStore::attempt).optional();
    }

    /** Newest first. */
    public List<RenewalAttempt> history(String managedCertificateId, int limit) {
        return jdbc.sql("select * from renewal_attempts where managed_certificate_id = :managed order by seq desc"
                + " fetch first " + limit + " rows only").param("managed", managedCertificateId)
                .query(AttemptStore::attempt).list();
    }

    /** The attempts in a state, oldest first. */
    public List<RenewalAttempt> inState(AttemptState state, int limit) {
        return jdbc.sql("select * from renewal_attempts where state = :state order by seq fetch first " + limit
                + " rows only").param("state", state.wire()).query(AttemptStore::attempt).list();
    }

    /** Open attempts that have not started (pending or awaiting approval), oldest first. */
    public List<RenewalAttempt> notStarted(int limit) {
        return jdbc.sql("select * from renewal_attempts where state in ('pending', 'awaiting_change_approval')"
                + " order by seq fetch first " + limit + " rows only").query(AttemptStore::attempt).list();
    }

    /** Attempts awaiting approval whose change record was approved, oldest first. */
    public List<RenewalAttempt> approvedAwaiting(int limit) {
        return jdbc.sql("""
                select a.* from renewal_attempts a join renewal_change_records c on c.id = a.change_record_id
                where a.state = 'awaiting_change_approval' and c.state = 'approved'
                order by a.seq""" + " fetch first " + limit + " rows only").query(AttemptStore::attempt).list();
    }

    /** Each managed certificate's latest attempt, where that one failed (or was rolled back) as a renewal. */
    public List<RenewalAttempt> latestFailures(int limit) {
        return jdbc.sql("""
                select a.* from renewal_attempts a
                where a.state in ('failed', 'rolled_back') and a.consecutive_failures > 0
                  and a.seq = (select max(b.seq) from renewal_attempts b
                               where b.managed_certificate_id = a.managed_certificate_id)
                order by a.seq""" + " fetch first " + limit + " rows only").query(AttemptStore::attempt).list();
    }

    /** Pending and running attempts per policy: what counts against its concurrency limit. */
    public Map<String, Integer> runningByPolicy() {
        Map<String, Integer> counts = new HashMap<>();
        jdbc.sql("select policy_id, count(*) as n from renewal_attempts where state in ('pending', 'in_progress')"
                + " and policy_id is not null group by policy_id")
                .query((ResultSet rs) -> {
                    counts.put(rs.getString("policy_id"), rs.getInt("n"));
                });
        return counts;
    }

    /** Moves an attempt between states by compare-and-set; @return false if it was not in {@code from} */
    public boolean transition(String id, AttemptState from, AttemptState to, Instant now) {
        return jdbc.sql("update renewal_attempts set state = :to, open_key = " + openKey(to)
                + ", updated_at = :now where id = :id and state = :from").param("id", id).param("from", from.wire())
                .param("to", to.wire()).param("now", Timestamp.from(now)).update() == 1;
    }

    /** pending → in_progress with a lease, by compare-and-set; @return false if another worker took it */
    public boolean claim(String id, Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                update renewal_attempts set state = 'in_progress', started_at = coalesce(started_at, :now),
                    lease_until = :lease, updated_at = :now
                where id = :id and state = 'pending'
                """).param("id", id).param("now", Timestamp.from(now)).param("lease", Timestamp.from(leaseUntil))
                .update() == 1;
    }

    /** Names the work that runs the attempt; that work is durable, so the runner's lease is no longer needed. */
    public void recordJob(String id, String jobReference, Instant now) {
        jdbc.sql("update renewal_attempts set job_reference = :job, lease_until = null, updated_at = :now"
                + " where id = :id")
                .param("id", id).param("job", jobReference).param("now", Timestamp.from(now)).update();
    }

    /** Running attempts whose worker stopped before finishing (its lease ran out). */
    public List<RenewalAttempt> leaseExpired(Instant now, int limit) {
        return jdbc.sql("select * from renewal_attempts where state = 'in_progress' and lease_until < :now"
                + " order by seq fetch first " + limit + " rows only").param("now", Timestamp.from(now))
                .query(AttemptStore::attempt).list();
    }

    /** Hands an interrupted attempt back to pending; @return the interruptions so far, or -1 if it moved on */
    public int interrupted(String id, Instant now) {
        int updated = jdbc.sql("""
                update renewal_attempts set state = 'pending', interruptions = interruptions + 1, lease_until = null,
                    updated_at = :now
                where id = :id and state = 'in_progress' and lease_until < :now
                """).param("id", id).param("now", Timestamp.from(now)).update();
        if (updated != 1) {
            return -1;
        }
        return jdbc.sql("select interruptions from renewal_attempts where id = :id").param("id", id)
                .query(Integer.class).single();
    }

    /** Finishes an attempt by compare-and-set on its current state; it is no longer open. */
    public boolean finish(String id, AttemptState from, AttemptState to, @Nullable Integer newVersion,
            @Nullable Instant newNotAfter, @Nullable String error, @Nullable String rollbackNote,
            int consecutiveFailures, @Nullable Instant nextRetryAt, Instant now) {
        return jdbc.sql("""
                update renewal_attempts set state = :to, open_key = null, new_version = :newVersion,
                    new_not_after = :newNotAfter, error = :error, rollback_note = :rollbackNote,
                    consecutive_failures = :failures, next_retry_at = :nextRetry, lease_until = null,
                    finished_at = :now, updated_at = :now
                where id = :id and state = :from
                """).paramSource(new MapSqlParameterSource().addValue("id", id).addValue("from", from.wire())
                        .addValue("to", to.wire()).addValue("newVersion", newVersion)
                        .addValue("newNotAfter", timestamp(newNotAfter)).addValue("error", truncate(error, 2000))
                        .addValue("rollbackNote", truncate(rollbackNote, 1000)).addValue("failures", consecutiveFailures)
                        .addValue("nextRetry", timestamp(nextRetryAt)).addValue("now", Timestamp.from(now)))
                .update() == 1;
    }

    private static String openKey(AttemptState state) {
        return state.open() ? "managed_certificate_id" : "null";
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable String truncate(@Nullable String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static RenewalAttempt attempt(ResultSet rs, int n) throws SQLException {
        return new RenewalAttempt(rs.getString("id"), rs.getString("managed_certificate_id"),
                rs.getString("policy_id"), rs.getString("method"), AttemptState.parse(rs.getString("state")),
                rs.getString("trigger_kind"), rs.getString("requested_by"), rs.getString("reference"),
                rs.getString("job_reference"), rs.getString("change_record_id"),
                rs.getObject("old_version", Integer.class), instant(rs, "old_not_after"),
                rs.getObject("new_version", Integer.class), instant(rs, "new_not_after"), rs.getString("error"),
                rs.getString("rollback_note"), rs.getInt("consecutive_failures"), instant(rs, "next_retry_at"),
                rs.getTimestamp("created_at").toInstant(), instant(rs, "started_at"), instant(rs, "finished_at"));
    }
}
