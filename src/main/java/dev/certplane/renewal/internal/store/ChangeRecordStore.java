package dev.certplane.renewal.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.renewal.ChangeRecord;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code renewal_change_records}. */
@Repository
public class ChangeRecordStore {

    private final JdbcClient jdbc;

    ChangeRecordStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(ChangeRecord c) {
        jdbc.sql("""
                insert into renewal_change_records (id, attempt_id, managed_certificate_id, summary, state,
                    requested_by, created_at)
                values (:id, :attempt, :managed, :summary, :state, :requestedBy, :created)
                """).param("id", c.id()).param("attempt", c.attemptId()).param("managed", c.managedCertificateId())
                .param("summary", c.summary()).param("state", c.state()).param("requestedBy", c.requestedBy())
                .param("created", Timestamp.from(c.createdAt())).update();
    }

    /** Decides a pending record by compare-and-set; @return false if it was decided already */
    public boolean decide(String id, String state, @Nullable String decidedBy, @Nullable String note, Instant now) {
        return jdbc.sql("""
                update renewal_change_records set state = :state, decided_by = :by, decided_at = :now,
                    decision_note = :note
                where id = :id and state = 'pending'
                """).param("id", id).param("state", state).param("by", decidedBy).param("note", note)
                .param("now", Timestamp.from(now)).update() == 1;
    }

    public Optional<ChangeRecord> find(String id) {
        return jdbc.sql("select * from renewal_change_records where id = :id").param("id", id)
                .query(ChangeRecordStore::record).optional();
    }

    /** Newest first. */
    public List<ChangeRecord> list(@Nullable String state, int limit) {
        return jdbc.sql("select * from renewal_change_records" + (state == null ? "" : " where state = :state")
                + " order by created_at desc, id fetch first " + limit + " rows only")
                .params(state == null ? Map.of() : Map.of("state", state))
                .query(ChangeRecordStore::record).list();
    }

    private static ChangeRecord record(ResultSet rs, int n) throws SQLException {
        Timestamp decided = rs.getTimestamp("decided_at");
        return new ChangeRecord(rs.getString("id"), rs.getString("attempt_id"), rs.getString("managed_certificate_id"),
                rs.getString("summary"), rs.getString("state"), rs.getString("requested_by"),
                rs.getString("decided_by"), decided == null ? null : decided.toInstant(),
                rs.getString("decision_note"), rs.getTimestamp("created_at").toInstant());
    }
}
