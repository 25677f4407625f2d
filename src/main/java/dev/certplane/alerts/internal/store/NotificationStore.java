package dev.certplane.alerts.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Owns {@code alert_notifications}: the outbox and history of alert notifications. A sender claims a due row by
 * compare-and-set (moving {@code next_attempt_at} past its lease and writing its claim token), so of several
 * replicas exactly one sends it; only the claimant can then record the outcome.
 */
@Repository
public class NotificationStore {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;

    NotificationStore(JdbcClient jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /** {@code alert} is the alert's JSON snapshot. */
    public record NotificationRow(String id, String channelId, String alertId, String event, String alert,
            String state, int attempts, Instant nextAttemptAt, @Nullable String lastError, Instant createdAt,
            @Nullable Instant finishedAt) {
    }

    public void insert(List<NotificationRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        named.batchUpdate("""
                insert into alert_notifications (id, channel_id, alert_id, event, alert, state, attempts,
                    next_attempt_at, created_at)
                values (:id, :channel, :alert, :event, :snapshot, 'pending', 0, :next, :created)
                """, rows.stream().map(r -> new MapSqlParameterSource("id", r.id()).addValue("channel", r.channelId())
                .addValue("alert", r.alertId()).addValue("event", r.event()).addValue("snapshot", r.alert())
                .addValue("next", Timestamp.from(r.nextAttemptAt())).addValue("created", Timestamp.from(r.createdAt())))
                .toArray(MapSqlParameterSource[]::new));
    }

    /** Ids of pending notifications due at {@code now}, oldest first. */
    public List<String> due(Instant now, int limit) {
        return jdbc.sql("""
                select id from alert_notifications where state = 'pending' and next_attempt_at <= :now
                order by next_attempt_at, id fetch first %d rows only
                """.formatted(limit)).param("now", Timestamp.from(now)).query(String.class).list();
    }

    /**
     * Claims a due notification for one attempt: counts the attempt and hides the row from other senders until
     * {@code leaseUntil}, so a sender that dies mid-attempt leaves it to be tried again then.
     *
     * @return the claimed row, or empty if another sender claimed it first or it is no longer due
     */
    public java.util.Optional<NotificationRow> claim(String id, String token, Instant now, Instant leaseUntil) {
        int claimed = jdbc.sql("""
                update alert_notifications set claim_token = :token, next_attempt_at = :lease, attempts = attempts + 1
                where id = :id and state = 'pending' and next_attempt_at <= :now
                """).param("token", token).param("lease", Timestamp.from(leaseUntil)).param("id", id)
                .param("now", Timestamp.from(now)).update();
        if (claimed == 0) {
            return java.util.Optional.empty();
        }
        return jdbc.sql("select * from alert_notifications where id = :id and claim_token = :token").param("id", id)
                .param("token", token).query(NotificationStore::row).optional();
    }

    /** Records a delivered attempt; false if the claim was lost. */
    public boolean sent(String id, String token, Instant now) {
        return jdbc.sql("""
                update alert_notifications set state = 'sent', finished_at = :now, claim_token = null, last_error = null
                where id = :id and claim_token = :token and state = 'pending'
                """).param("now", Timestamp.from(now)).param("id", id).param("token", token).update() == 1;
    }

    /** Records a failed attempt to be tried again at {@code next}. */
    public boolean retry(String id, String token, Instant next, String error) {
        return jdbc.sql("""
                update alert_notifications set next_attempt_at = :next, claim_token = null, last_error = :error
                where id = :id and claim_token = :token and state = 'pending'
                """).param("next", Timestamp.from(next)).param("error", cut(error)).param("id", id)
                .param("token", token).update() == 1;
    }

    /** Records the last failed attempt: the notification is given up. */
    public boolean failed(String id, String token, Instant now, String error) {
        return jdbc.sql("""
                update alert_notifications set state = 'failed', finished_at = :now, claim_token = null,
                    last_error = :error
                where id = :id and claim_token = :token and state = 'pending'
                """).param("now", Timestamp.from(now)).param("error", cut(error)).param("id", id)
                .param("token", token).update() == 1;
    }

    /** A channel's notifications, newest first. */
    public List<NotificationRow> ofChannel(String channelId, int limit) {
        return jdbc.sql("""
                select * from alert_notifications where channel_id = :channel
                order by created_at desc, id desc fetch first %d rows only
                """.formatted(limit)).param("channel", channelId).query(NotificationStore::row).list();
    }

    private static NotificationRow row(ResultSet rs, int n) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new NotificationRow(rs.getString("id"), rs.getString("channel_id"), rs.getString("alert_id"),
                rs.getString("event"), rs.getString("alert"), rs.getString("state"), rs.getInt("attempts"),
                rs.getTimestamp("next_attempt_at").toInstant(), rs.getString("last_error"),
                rs.getTimestamp("created_at").toInstant(), finished == null ? null : finished.toInstant());
    }

    private static String cut(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }
}
