package dev.certplane.audit.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.certplane.audit.AuditEvent;
import dev.certplane.audit.AuditPage;
import dev.certplane.audit.AuditQuery;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Owns {@code audit_events} and {@code audit_chain_head}. Rows are only ever inserted. */
@Repository
public class AuditStore {

    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AuditStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public record Head(long seq, String hash) {
    }

    /** Locks the chain head for the rest of the transaction: appends are serialised across replicas. */
    public Head lockHead() {
        return jdbc.sql("select seq, hash from audit_chain_head where id = 1 for update")
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash")))
                .single();
    }

    /** A record waiting to be chained, with its details as the JSON that will be hashed and stored. */
    public record Pending(UUID eventId, Instant occurredAt, String actor, String sourceIp, String action,
            String target, String outcome, String detailsJson) {
    }

    /** Runs in the transaction that made the change, so the record commits (or rolls back) with it. */
    public void enqueue(Pending p) {
        jdbc.sql("""
                insert into audit_pending (event_id, occurred_at, actor, source_ip, action, target, outcome, details)
                values (:id, :occurred, :actor, :ip, :action, :target, :outcome, :details)
                """)
                .param("id", p.eventId()).param("occurred", Timestamp.from(p.occurredAt())).param("actor", p.actor())
                .param("ip", p.sourceIp()).param("action", p.action()).param("target", p.target())
                .param("outcome", p.outcome()).param("details", p.detailsJson()).update();
    }

    public boolean hasPending() {
        return !jdbc.sql("select event_id from audit_pending limit 1").query(UUID.class).list().isEmpty();
    }

    /** The oldest pending records, in the order they will be chained. */
    public List<Pending> pending(int limit) {
        return jdbc.sql("select * from audit_pending order by occurred_at, event_id limit :limit")
                .param("limit", limit)
                .query((rs, n) -> new Pending(rs.getObject("event_id", UUID.class),
                        rs.getTimestamp("occurred_at").toInstant(), rs.getString("actor"), rs.getString("source_ip"),
                        rs.getString("action"), rs.getString("target"), rs.getString("outcome"),
                        rs.getString("details")))
                .list();
    }

    public void removePending(List<UUID> eventIds) {
        jdbc.sql("delete from audit_pending where event_id in (:ids)").param("ids", eventIds).update();
    }

    public String detailsJson(Map<String, String> details) {
        return json.writeValueAsString(new java.util.TreeMap<>(details));
    }

    /** Appends one event; the caller holds the head lock and moves the head with {@link #moveHead}. */
    public void append(AuditEvent e, String detailsJson) {
        jdbc.sql("""
                insert into audit_events (seq, event_id, occurred_at, recorded_at, actor, source_ip, action, target,
                                          outcome, details, prev_hash, hash)
                values (:seq, :id, :occurred, :recorded, :actor, :ip, :action, :target, :outcome, :details, :prev, :hash)
                """)
                .param("seq", e.seq()).param("id", e.eventId())
                .param("occurred", Timestamp.from(e.occurredAt())).param("recorded", Timestamp.from(e.recordedAt()))
                .param("actor", e.actor()).param("ip", e.sourceIp()).param("action", e.action())
                .param("target", e.target()).param("outcome", e.outcome()).param("details", detailsJson)
                .param("prev", e.prevHash()).param("hash", e.hash())
                .update();
    }

    public void moveHead(Head head) {
        jdbc.sql("update audit_chain_head set seq = :seq, hash = :hash where id = 1")
                .param("seq", head.seq()).param("hash", head.hash()).update();
    }

    /** Events in chain order after {@code afterSeq}, with their details exactly as stored (for re-hashing). */
    public List<StoredEvent> chainAfter(long afterSeq, int limit) {
        return jdbc.sql("select * from audit_events where seq > :after order by seq limit :limit")
                .param("after", afterSeq).param("limit", limit)
                .query((rs, n) -> new StoredEvent(map(rs), rs.getString("details")))
                .list();
    }

    public Head head() {
        return jdbc.sql("select seq, hash from audit_chain_head where id = 1")
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash"))).single();
    }

    public record StoredEvent(AuditEvent event, String detailsJson) {
    }

    public AuditPage search(AuditQuery q) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new java.util.HashMap<>();
        if (q.actor() != null) {
            where.append(" and lower(actor) = :actor");
            params.put("actor", q.actor().toLowerCase(Locale.ROOT));
        }
        if (q.action() != null) {
            where.append(" and lower(action) = :action");
            params.put("action", q.action().toLowerCase(Locale.ROOT));
        }
        if (q.target() != null) {
            where.append(" and lower(target) like :target escape '\\'");
            params.put("target", "%" + likeEscape(q.target().toLowerCase(Locale.ROOT)) + "%");
        }
        if (q.outcome() != null) {
            where.append(" and outcome = :outcome");
            params.put("outcome", q.outcome().toUpperCase(Locale.ROOT));
        }
        if (q.from() != null) {
            where.append(" and occurred_at >= :from");
            params.put("from", Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            where.append(" and occurred_at < :to");
            params.put("to", Timestamp.from(q.to()));
        }
        long total = jdbc.sql("select count(*) from audit_events" + where).params(params).query(Long.class).single();
        List<AuditEvent> items = new ArrayList<>(jdbc.sql("select * from audit_events" + where
                        + " order by seq desc limit :limit offset :offset")
                .params(params).param("limit", q.size()).param("offset", (long) q.page() * q.size())
                .query((rs, n) -> map(rs)).list());
        return new AuditPage(items, q.page(), q.size(), total);
    }

    private static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private AuditEvent map(ResultSet rs) throws SQLException {
        return new AuditEvent(rs.getLong("seq"), rs.getObject("event_id", UUID.class),
                rs.getTimestamp("occurred_at").toInstant(), rs.getTimestamp("recorded_at").toInstant(),
                rs.getString("actor"), rs.getString("source_ip"), rs.getString("action"), rs.getString("target"),
                rs.getString("outcome"), json.readValue(rs.getString("details"), DETAILS), rs.getString("prev_hash"),
                rs.getString("hash"));
    }
}
