package dev.certplane.security.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code security_api_tokens}. Only the SHA-256 of a token is ever stored. */
@Repository
public class ApiTokenStore {

    private final JdbcClient jdbc;

    ApiTokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record TokenRow(String id, String userId, String name, String tokenHash, String prefix,
            Set<String> permissions, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {
    }

    public void insert(TokenRow t) {
        jdbc.sql("""
                insert into security_api_tokens (id, user_id, name, token_hash, prefix, permissions, created_at, expires_at)
                values (:id, :user, :name, :hash, :prefix, :permissions, :created, :expires)
                """)
                .param("id", t.id()).param("user", t.userId()).param("name", t.name()).param("hash", t.tokenHash())
                .param("prefix", t.prefix()).param("permissions", String.join(",", t.permissions()))
                .param("created", Timestamp.from(t.createdAt()))
                .param("expires", t.expiresAt() == null ? null : Timestamp.from(t.expiresAt()))
                .update();
    }

    public Optional<TokenRow> findByHash(String hash) {
        return jdbc.sql("select * from security_api_tokens where token_hash = :h").param("h", hash)
                .query(ApiTokenStore::map).optional();
    }

    public Optional<TokenRow> findById(String id) {
        return jdbc.sql("select * from security_api_tokens where id = :id").param("id", id)
                .query(ApiTokenStore::map).optional();
    }

    public List<TokenRow> byUser(String userId) {
        return jdbc.sql("select * from security_api_tokens where user_id = :u order by created_at desc")
                .param("u", userId).query(ApiTokenStore::map).list();
    }

    public List<TokenRow> all() {
        return jdbc.sql("select * from security_api_tokens order by created_at desc").query(ApiTokenStore::map).list();
    }

    /** @return false when it was already revoked */
    public boolean revoke(String id, Instant now) {
        return jdbc.sql("update security_api_tokens set revoked_at = :t where id = :id and revoked_at is null")
                .param("t", Timestamp.from(now)).param("id", id).update() == 1;
    }

    public void touch(String id, Instant now) {
        jdbc.sql("update security_api_tokens set last_used_at = :t where id = :id")
                .param("t", Timestamp.from(now)).param("id", id).update();
    }

    private static TokenRow map(ResultSet rs, int n) throws SQLException {
        return new TokenRow(rs.getString("id"), rs.getString("user_id"), rs.getString("name"),
                rs.getString("token_hash"), rs.getString("prefix"), UserStore.split(rs.getString("permissions")),
                rs.getTimestamp("created_at").toInstant(), instant(rs, "expires_at"), instant(rs, "last_used_at"),
                instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
