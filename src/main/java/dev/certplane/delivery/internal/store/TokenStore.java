package dev.certplane.delivery.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code delivery_tokens}, {@code delivery_bindings} and {@code delivery_deliveries}. */
@Repository
public class TokenStore {

    private static final String TOKEN_SELECT = """
            select t.*, (select count(*) from delivery_bindings b where b.token_id = t.id and b.unbound_at is null)
                   as bound_accounts
            from delivery_tokens t
            """;

    private final JdbcClient jdbc;

    TokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param hmacKey sealed with the master key */
    public record TokenRow(String id, String keyId, String type, String managedCertificateId, String name,
            String hmacKey, @Nullable Integer maxAccounts, String createdBy, Instant createdAt,
            @Nullable Instant expiresAt, @Nullable Instant rotatedAt, @Nullable Instant revokedAt,
            @Nullable String revokedBy, int boundAccounts) {

        @Override
        public String toString() {
            return "TokenRow[id=" + id + ", keyId=" + keyId + "]";
        }
    }

    public record BindingRow(String accountId, String tokenId, String profile, Instant boundAt, String clientIp,
            @Nullable String userAgent, @Nullable Instant unboundAt) {
    }

    public record DeliveryRow(String id, String managedCertificateId, String tokenId, String keyId, String tokenName,
            String accountId, @Nullable Integer version, String fingerprint, String clientIp, @Nullable String userAgent,
            Instant deliveredAt) {
    }

    public void insert(TokenRow row) {
        jdbc.sql("""
                insert into delivery_tokens (id, key_id, token_type, managed_certificate_id, name, hmac_key,
                                             max_accounts, created_by, created_at, expires_at)
                values (:id, :kid, :type, :managed, :name, :hmac, :max, :by, :created, :expires)
                """)
                .param("id", row.id()).param("kid", row.keyId()).param("type", row.type())
                .param("managed", row.managedCertificateId()).param("name", row.name()).param("hmac", row.hmacKey())
                .param("max", row.maxAccounts()).param("by", row.createdBy())
                .param("created", Timestamp.from(row.createdAt())).param("expires", timestamp(row.expiresAt())).update();
    }

    public Optional<TokenRow> find(String id) {
        return jdbc.sql(TOKEN_SELECT + " where t.id = :id").param("id", id).query(TokenStore::token).optional();
    }

    public Optional<TokenRow> findByKeyId(String keyId) {
        return jdbc.sql(TOKEN_SELECT + " where t.key_id = :kid").param("kid", keyId).query(TokenStore::token).optional();
    }

    /** Locks the token's row until the transaction ends, so bindings against its limit are counted one at a time. */
    public Optional<TokenRow> lockByKeyId(String keyId) {
        Optional<String> id = jdbc.sql("select id from delivery_tokens where key_id = :kid for update")
                .param("kid", keyId).query(String.class).optional();
        return id.flatMap(this::find);
    }

    public List<TokenRow> list(@Nullable String managedCertificateId) {
        if (managedCertificateId == null) {
            return jdbc.sql(TOKEN_SELECT + " order by t.created_at desc, t.id").query(TokenStore::token).list();
        }
        return jdbc.sql(TOKEN_SELECT + " where t.managed_certificate_id = :m order by t.created_at desc, t.id")
                .param("m", managedCertificateId).query(TokenStore::token).list();
    }

    /** @return false if the token was revoked already */
    public boolean revoke(String id, String by, Instant now) {
        return jdbc.sql("update delivery_tokens set revoked_at = :now, revoked_by = :by where id = :id and revoked_at is null")
                .param("id", id).param("by", by).param("now", Timestamp.from(now)).update() == 1;
    }

    /** @return false if the token was revoked meanwhile */
    public boolean replaceKey(String id, String sealedKey, Instant now) {
        return jdbc.sql("update delivery_tokens set hmac_key = :hmac, rotated_at = :now where id = :id and revoked_at is null")
                .param("id", id).param("hmac", sealedKey).param("now", Timestamp.from(now)).update() == 1;
    }

    public int unbindAll(String tokenId, Instant now) {
        return jdbc.sql("update delivery_bindings set unbound_at = :now where token_id = :id and unbound_at is null")
                .param("id", tokenId).param("now", Timestamp.from(now)).update();
    }

    /** Tokens that expired and whose expiry is not yet in the audit trail; marks them so it is recorded once. */
    public List<TokenRow> claimNewlyExpired(Instant now, int limit) {
        List<TokenRow> expired = jdbc.sql(TOKEN_SELECT + """
                 where t.expires_at <= :now and t.expiry_recorded_at is null and t.revoked_at is null
                 order by t.expires_at fetch first %d rows only
                """.formatted(limit)).param("now", Timestamp.from(now)).query(TokenStore::token).list();
        return expired.stream().filter(t -> jdbc.sql(
                "update delivery_tokens set expiry_recorded_at = :now where id = :id and expiry_recorded_at is null")
                .param("id", t.id()).param("now", Timestamp.from(now)).update() == 1).toList();
    }

    public void insertBinding(BindingRow row) {
        jdbc.sql("""
                insert into delivery_bindings (account_id, token_id, profile, bound_at, client_ip, user_agent)
                values (:account, :token, :profile, :bound, :ip, :ua)
                """)
                .param("account", row.accountId()).param("token", row.tokenId()).param("profile", row.profile())
                .param("bound", Timestamp.from(row.boundAt())).param("ip", row.clientIp()).param("ua", row.userAgent())
                .update();
    }

    /** What the ACME server checks on every request of a bound account: the token's state and scope. */
    public record BoundToken(String tokenId, String keyId, String managedCertificateId, @Nullable Instant expiresAt,
            @Nullable Instant revokedAt, @Nullable Instant unboundAt) {
    }

    /** One indexed lookup, run on every ACME request in a token profile. */
    public Optional<BoundToken> bindingOf(String accountId) {
        return jdbc.sql("""
                select t.id, t.key_id, t.managed_certificate_id, t.expires_at, t.revoked_at, b.unbound_at
                from delivery_bindings b join delivery_tokens t on t.id = b.token_id where b.account_id = :a
                """).param("a", accountId)
                .query((rs, n) -> new BoundToken(rs.getString("id"), rs.getString("key_id"),
                        rs.getString("managed_certificate_id"), instant(rs, "expires_at"), instant(rs, "revoked_at"),
                        instant(rs, "unbound_at")))
                .optional();
    }

    public List<BindingRow> bindings(String tokenId) {
        return jdbc.sql("select * from delivery_bindings where token_id = :t order by bound_at").param("t", tokenId)
                .query(TokenStore::binding).list();
    }

    public void insertDelivery(DeliveryRow row) {
        jdbc.sql("""
                insert into delivery_deliveries (id, managed_certificate_id, token_id, account_id, version,
                                                 fingerprint_sha256, client_ip, user_agent, delivered_at)
                values (:id, :managed, :token, :account, :version, :fp, :ip, :ua, :at)
                """)
                .param("id", row.id()).param("managed", row.managedCertificateId()).param("token", row.tokenId())
                .param("account", row.accountId()).param("version", row.version()).param("fp", row.fingerprint())
                .param("ip", row.clientIp()).param("ua", row.userAgent()).param("at", Timestamp.from(row.deliveredAt()))
                .update();
    }

    public List<DeliveryRow> deliveries(String managedCertificateId, int limit) {
        return jdbc.sql("""
                select d.*, t.key_id, t.name as token_name from delivery_deliveries d
                join delivery_tokens t on t.id = d.token_id
                where d.managed_certificate_id = :m order by d.seq desc fetch first %d rows only
                """.formatted(limit)).param("m", managedCertificateId).query(TokenStore::delivery).list();
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static TokenRow token(ResultSet rs, int n) throws SQLException {
        return new TokenRow(rs.getString("id"), rs.getString("key_id"), rs.getString("token_type"),
                rs.getString("managed_certificate_id"), rs.getString("name"), rs.getString("hmac_key"),
                rs.getObject("max_accounts", Integer.class), rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant(), instant(rs, "expires_at"), instant(rs, "rotated_at"),
                instant(rs, "revoked_at"), rs.getString("revoked_by"), rs.getInt("bound_accounts"));
    }

    private static BindingRow binding(ResultSet rs, int n) throws SQLException {
        return new BindingRow(rs.getString("account_id"), rs.getString("token_id"), rs.getString("profile"),
                rs.getTimestamp("bound_at").toInstant(), rs.getString("client_ip"), rs.getString("user_agent"),
                instant(rs, "unbound_at"));
    }

    private static DeliveryRow delivery(ResultSet rs, int n) throws SQLException {
        return new DeliveryRow(rs.getString("id"), rs.getString("managed_certificate_id"), rs.getString("token_id"),
                rs.getString("key_id"), rs.getString("token_name"), rs.getString("account_id"),
                rs.getObject("version", Integer.class), rs.getString("fingerprint_sha256"), rs.getString("client_ip"),
                rs.getString("user_agent"), rs.getTimestamp("delivered_at").toInstant());
    }
}
