package dev.certplane.alerts.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Owns {@code alert_notification_channels}. Kinds and settings are JSON text the caller writes and reads; the
 * secrets column holds a sealed value only the caller can open.
 */
@Repository
public class NotificationChannelStore {

    private final JdbcClient jdbc;

    NotificationChannelStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record ChannelRow(String id, String name, String type, boolean enabled, String minSeverity, String kinds,
            @Nullable String endpoint, String settings, String secretsSealed, Instant createdAt, Instant updatedAt) {
    }

    public void insert(ChannelRow row) {
        jdbc.sql("""
                insert into alert_notification_channels (id, name, name_key, type, enabled, min_severity, kinds,
                    endpoint, settings, secrets_sealed, created_at, updated_at)
                values (:id, :name, :key, :type, :enabled, :severity, :kinds, :endpoint, :settings, :secrets,
                    :created, :updated)
                """).paramSource(params(row)).update();
    }

    /** @return false if the channel no longer exists */
    public boolean update(ChannelRow row) {
        return jdbc.sql("""
                update alert_notification_channels set name = :name, name_key = :key, enabled = :enabled,
                    min_severity = :severity, kinds = :kinds, endpoint = :endpoint, settings = :settings,
                    secrets_sealed = :secrets, updated_at = :updated
                where id = :id
                """).paramSource(params(row)).update() == 1;
    }

    /** Deletes the channel and, by cascade, its notifications. */
    public boolean delete(String id) {
        return jdbc.sql("delete from alert_notification_channels where id = :id").param("id", id).update() == 1;
    }

    /** Whether another channel than {@code exceptId} has this name, compared case-insensitively. */
    public boolean nameTaken(String name, @Nullable String exceptId) {
        return jdbc.sql("select count(*) from alert_notification_channels where name_key = :key and id <> :except")
                .param("key", name.toLowerCase(Locale.ROOT)).param("except", exceptId == null ? "" : exceptId)
                .query(Long.class).single() > 0;
    }

    public Optional<ChannelRow> find(String id) {
        return jdbc.sql("select * from alert_notification_channels where id = :id").param("id", id)
                .query(NotificationChannelStore::row).optional();
    }

    public List<ChannelRow> all() {
        return jdbc.sql("select * from alert_notification_channels order by name_key")
                .query(NotificationChannelStore::row).list();
    }

    public List<ChannelRow> enabled() {
        return jdbc.sql("select * from alert_notification_channels where enabled = true order by name_key")
                .query(NotificationChannelStore::row).list();
    }

    private static org.springframework.jdbc.core.namedparam.MapSqlParameterSource params(ChannelRow row) {
        return new org.springframework.jdbc.core.namedparam.MapSqlParameterSource("id", row.id())
                .addValue("name", row.name()).addValue("key", row.name().toLowerCase(Locale.ROOT))
                .addValue("type", row.type()).addValue("enabled", row.enabled())
                .addValue("severity", row.minSeverity()).addValue("kinds", row.kinds())
                .addValue("endpoint", row.endpoint()).addValue("settings", row.settings())
                .addValue("secrets", row.secretsSealed()).addValue("created", Timestamp.from(row.createdAt()))
                .addValue("updated", Timestamp.from(row.updatedAt()));
    }

    private static ChannelRow row(ResultSet rs, int n) throws SQLException {
        return new ChannelRow(rs.getString("id"), rs.getString("name"), rs.getString("type"), rs.getBoolean("enabled"),
                rs.getString("min_severity"), rs.getString("kinds"), rs.getString("endpoint"),
                rs.getString("settings"), rs.getString("secrets_sealed"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
