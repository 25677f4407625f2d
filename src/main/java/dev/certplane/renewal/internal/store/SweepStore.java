package dev.certplane.renewal.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code renewal_sweeps} and {@code renewal_sweep_lease}. */
@Repository
public class SweepStore {

    /** One sweep as recorded; counts are zero while it runs. */
    public record SweepRow(String id, String trigger, String requestedBy, Instant startedAt,
            @Nullable Instant finishedAt, int candidates, int dispatched, int awaitingApproval,
            int approvedDispatched, int deferred, int superseded) {
    }

    /** Who holds the sweep lease and until when. */
    public record Lease(@Nullable String holder, @Nullable Instant until) {
    }

    private final JdbcClient jdbc;

    SweepStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes the lease by compare-and-set when it is free or ran out; @return whether this caller holds it */
    public boolean acquire(String holder, Instant now, Instant until) {
        return jdbc.sql("""
                update renewal_sweep_lease set holder = :holder, lease_until = :until
                where id = 1 and (lease_until is null or lease_until < :now)
                """).param("holder", holder).param("until", Timestamp.from(until)).param("now", Timestamp.from(now))
                .update() == 1;
    }

    public void release(String holder) {
        jdbc.sql("update renewal_sweep_lease set lease_until = null where id = 1 and holder = :holder")
                .param("holder", holder).update();
    }

    public Lease lease() {
        return jdbc.sql("select holder, lease_until from renewal_sweep_lease where id = 1").query((rs, n) -> {
            Timestamp until = rs.getTimestamp("lease_until");
            return new Lease(rs.getString("holder"), until == null ? null : until.toInstant());
        }).single();
    }

    public void insert(SweepRow s) {
        jdbc.sql("""
                insert into renewal_sweeps (id, trigger_kind, requested_by, started_at, finished_at, candidates,
                    dispatched, awaiting_approval, approved_dispatched, deferred, superseded)
                values (:id, :trigger, :by, :started, null, 0, 0, 0, 0, 0, 0)
                """).param("id", s.id()).param("trigger", s.trigger()).param("by", s.requestedBy())
                .param("started", Timestamp.from(s.startedAt())).update();
    }

    public void finish(SweepRow s) {
        jdbc.sql("""
                update renewal_sweeps set finished_at = :finished, candidates = :candidates, dispatched = :dispatched,
                    awaiting_approval = :awaiting, approved_dispatched = :approved, deferred = :deferred,
                    superseded = :superseded
                where id = :id
                """).param("id", s.id()).param("finished", Timestamp.from(s.finishedAt()))
                .param("candidates", s.candidates()).param("dispatched", s.dispatched())
                .param("awaiting", s.awaitingApproval()).param("approved", s.approvedDispatched())
                .param("deferred", s.deferred()).param("superseded", s.superseded()).update();
    }

    public Optional<SweepRow> find(String id) {
        return jdbc.sql("select * from renewal_sweeps where id = :id").param("id", id).query(SweepStore::sweep)
                .optional();
    }

    /** Newest first. */
    public List<SweepRow> latest(int limit) {
        return jdbc.sql("select * from renewal_sweeps order by started_at desc, id fetch first " + limit
                + " rows only").query(SweepStore::sweep).list();
    }

    private static SweepRow sweep(ResultSet rs, int n) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new SweepRow(rs.getString("id"), rs.getString("trigger_kind"), rs.getString("requested_by"),
                rs.getTimestamp("started_at").toInstant(), finished == null ? null : finished.toInstant(),
                rs.getInt("candidates"), rs.getInt("dispatched"), rs.getInt("awaiting_approval"),
                rs.getInt("approved_dispatched"), rs.getInt("deferred"), rs.getInt("superseded"));
    }
}
