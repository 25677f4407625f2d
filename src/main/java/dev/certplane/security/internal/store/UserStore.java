package dev.certplane.security.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code security_users}. */
@Repository
public class UserStore {

    private final JdbcClient jdbc;

    UserStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record UserRow(String id, String username, String passwordHash, Set<String> permissions,
            boolean mustChangePassword, boolean enabled, Instant createdAt) {
    }

    public void insert(UserRow u) {
        jdbc.sql("""
                insert into security_users (id, username, password_hash, permissions, must_change_password, enabled,
                                            created_at, password_changed_at)
                values (:id, :username, :hash, :permissions, :mustChange, :enabled, :created, :created)
                """)
                .param("id", u.id()).param("username", u.username()).param("hash", u.passwordHash())
                .param("permissions", String.join(",", u.permissions())).param("mustChange", u.mustChangePassword())
                .param("enabled", u.enabled()).param("created", Timestamp.from(u.createdAt()))
                .update();
    }

    public Optional<UserRow> findByUsername(String username) {
        return jdbc.sql("select * from security_users where username = :u").param("u", username)
                .query(UserStore::map).optional();
    }

    public Optional<UserRow> findById(String id) {
        return jdbc.sql("select * from security_users where id = :id").param("id", id).query(UserStore::map).optional();
    }

    public List<UserRow> all() {
        return jdbc.sql("select * from security_users order by username").query(UserStore::map).list();
    }

    /** Sets a new password hash and clears the must-change flag; false if there is no such user. */
    public boolean updatePassword(String id, String passwordHash, Instant changedAt) {
        return jdbc.sql("""
                update security_users set password_hash = :hash, must_change_password = false,
                                          password_changed_at = :changed
                where id = :id
                """)
                .param("hash", passwordHash).param("changed", Timestamp.from(changedAt)).param("id", id)
                .update() == 1;
    }

    public long count() {
        return jdbc.sql("select count(*) from security_users").query(Long.class).single();
    }

    private static UserRow map(ResultSet rs, int n) throws SQLException {
        return new UserRow(rs.getString("id"), rs.getString("username"), rs.getString("password_hash"),
                split(rs.getString("permissions")), rs.getBoolean("must_change_password"), rs.getBoolean("enabled"),
                rs.getTimestamp("created_at").toInstant());
    }

    static Set<String> split(String permissions) {
        Set<String> set = new LinkedHashSet<>();
        Arrays.stream(permissions.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(set::add);
        return set;
    }
}
