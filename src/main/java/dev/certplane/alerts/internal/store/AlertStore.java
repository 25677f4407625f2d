package dev.certplane.alerts.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.certplane.alerts.Alert;
import dev.certplane.alerts.AlertSeverity;
import dev.certplane.alerts.AlertState;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Owns {@code alert_alerts} and {@code alert_open_keys}. Details are stored as a JSON object of strings. */
@Repository
public class AlertStore {

    private static final TypeReference<TreeMap<String, String>> DETAILS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;
    private final JsonMapper json;

    AlertStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, JsonMapper json) {
        this.jdbc = jdbc;
        this.named = named;
        this.json = json;
    }

    /** The open alerts under these keys, by key. */
    public Map<String, Alert> findOpen(List<String> keys) {
        Map<String, Alert> open = new HashMap<>();
        if (keys.isEmpty()) {
            return open;
        }
        jdbc.sql("""
                select a.* from alert_open_keys k join alert_alerts a on a.id = k.alert_id
                where k.dedup_key in (:keys)
                """).param("keys", keys).query(this::alert).list().forEach(alert -> open.put(alert.key(), alert));
        return open;
    }

    /**
     * Inserts new open alerts and claims their keys; a key some other transaction holds open fails the whole batch
     * with a duplicate-key error rather than leaving two open alerts.
     */
    public void insertOpen(List<Alert> alerts) {
        if (alerts.isEmpty()) {
            return;
        }
        named.batchUpdate("""
                insert into alert_open_keys (dedup_key, alert_id) values (:key, :id)
                """, alerts.stream().map(a -> new MapSqlParameterSource("key", a.key()).addValue("id", a.id()))
                .toArray(MapSqlParameterSource[]::new));
        named.batchUpdate("""
                insert into alert_alerts (id, dedup_key, kind, severity, target, title, message, details, state,
                                          opened_at, updated_at)
                values (:id, :key, :kind, :severity, :target, :title, :message, :details, 'open', :now, :now)
                """, alerts.stream().map(this::params).toArray(MapSqlParameterSource[]::new));
    }

    /** Writes the new severity, target, title, message and details of open alerts. */
    public void update(List<Alert> alerts) {
        if (alerts.isEmpty()) {
            return;
        }
        named.batchUpdate("""
                update alert_alerts set severity = :severity, target = :target, title = :title, message = :message,
                       details = :details, updated_at = :now
                where id = :id and state = 'open'
                """, alerts.stream().map(this::params).toArray(MapSqlParameterSource[]::new));
    }

    /** Resolves an open alert and frees its key; false if it was not open (resolved meanwhile). */
    public boolean resolve(Alert alert, String resolution, Instant now) {
        int freed = jdbc.sql("delete from alert_open_keys where dedup_key = :key and alert_id = :id")
                .param("key", alert.key()).param("id", alert.id()).update();
        if (freed == 0) {
            return false;
        }
        jdbc.sql("""
                update alert_alerts set state = 'resolved', resolved_at = :now, updated_at = :now, resolution = :resolution
                where id = :id
                """).param("id", alert.id()).param("now", Timestamp.from(now)).param("resolution", cut(resolution, 500))
                .update();
        return true;
    }

    public Optional<Alert> find(String id) {
        return jdbc.sql("select * from alert_alerts where id = :id").param("id", id).query(this::alert).optional();
    }

    public long count(@Nullable AlertState state, @Nullable String kind) {
        Where where = where(state, kind);
        Long count = named.queryForObject("select count(*) from alert_alerts" + where.sql, where.params, Long.class);
        return count == null ? 0 : count;
    }

    /** Newest first. */
    public List<Alert> page(@Nullable AlertState state, @Nullable String kind, long offset, int limit) {
        Where where = where(state, kind);
        return named.query("select * from alert_alerts" + where.sql + " order by opened_at desc, id desc offset "
                + offset + " rows fetch next " + limit + " rows only", where.params, this::alert);
    }

    private record Where(String sql, MapSqlParameterSource params) {
    }

    private static Where where(@Nullable AlertState state, @Nullable String kind) {
        List<String> clauses = new ArrayList<>();
        MapSqlParameterSource params = new MapSqlParameterSource();
        if (state != null) {
            clauses.add("state = :state");
            params.addValue("state", state.wire());
        }
        if (kind != null) {
            clauses.add("kind = :kind");
            params.addValue("kind", kind);
        }
        return new Where(clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses), params);
    }

    private MapSqlParameterSource params(Alert a) {
        return new MapSqlParameterSource("id", a.id()).addValue("key", a.key()).addValue("kind", a.kind())
                .addValue("severity", a.severity().wire()).addValue("target", cut(a.target(), 200))
                .addValue("title", cut(a.title(), 500)).addValue("message", cut(a.message(), 4000))
                .addValue("details", json.writeValueAsString(new TreeMap<>(a.details())))
                .addValue("now", Timestamp.from(a.updatedAt()));
    }

    private Alert alert(ResultSet rs, int n) throws SQLException {
        Timestamp resolvedAt = rs.getTimestamp("resolved_at");
        return new Alert(rs.getString("id"), rs.getString("dedup_key"), rs.getString("kind"),
                AlertSeverity.parse(rs.getString("severity")), rs.getString("target"), rs.getString("title"),
                rs.getString("message"), json.readValue(rs.getString("details"), DETAILS),
                AlertState.parse(rs.getString("state")), rs.getTimestamp("opened_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), resolvedAt == null ? null : resolvedAt.toInstant(),
                rs.getString("resolution"));
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
