package dev.certplane.security.internal.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code security_login_failures}: failed logins per user name, shared by every replica. */
@Repository
public class LoginFailureStore {

    private final JdbcClient jdbc;

    LoginFailureStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Failures(String username, int failures, Instant windowStartedAt, Instant lockedUntil) {
    }

    public Optional<Failures> find(String username) {
        return jdbc.sql("select * from security_login_failures where username = :u").param("u", username)
                .query(LoginFailureStore::map).optional();
    }

    /** Locks the user's row for the rest of the transaction, so concurrent failures count one by one. */
    public Optional<Failures> findForUpdate(String username) {
        return jdbc.sql("select * from security_login_failures where username = :u for update").param("u", username)
                .query(LoginFailureStore::map).optional();
    }

    private static Failures map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp locked = rs.getTimestamp("locked_until");
        return new Failures(rs.getString("username"), rs.getInt("failures"),
                rs.getTimestamp("window_started_at").toInstant(), locked == null ? null : locked.toInstant());
    }

    public void insert(Failures f) {
        jdbc.sql("insert into security_login_failures (username, failures, window_started_at, locked_until)"
                        + " values (:u, :f, :w, :l)")
                .param("u", f.username()).param("f", f.failures()).param("w", Timestamp.from(f.windowStartedAt()))
                .param("l", f.lockedUntil() == null ? null : Timestamp.from(f.lockedUntil())).update();
    }

    public void update(Failures f) {
        jdbc.sql("update security_login_failures set failures = :f, window_started_at = :w, locked_until = :l"
                        + " where username = :u")
                .param("u", f.username()).param("f", f.failures()).param("w", Timestamp.from(f.windowStartedAt()))
                .param("l", f.lockedUntil() == null ? null : Timestamp.from(f.lockedUntil())).update();
    }

    public void clear(String username) {
        jdbc.sql("delete from security_login_failures where username = :u").param("u", username).update();
    }
}
