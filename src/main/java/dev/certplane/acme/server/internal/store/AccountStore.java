package dev.certplane.acme.server.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code acme_accounts}. Contacts are stored one per line. */
@Repository
public class AccountStore {

    private final JdbcClient jdbc;

    AccountStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record AccountRow(String id, String profile, String status, String keyThumbprint, String jwk,
            List<String> contact, boolean tosAgreed, Instant createdAt) {
    }

    public Optional<AccountRow> find(String id) {
        return jdbc.sql("select * from acme_accounts where id = :id").param("id", id).query(AccountStore::map)
                .optional();
    }

    public Optional<AccountRow> findByKey(String profile, String thumbprint) {
        return jdbc.sql("select * from acme_accounts where profile = :p and key_thumbprint = :t").param("p", profile)
                .param("t", thumbprint).query(AccountStore::map).optional();
    }

    /** Throws {@code DuplicateKeyException} if the profile already has an account with that key. */
    public void insert(AccountRow row, @Nullable String createdIp) {
        jdbc.sql("""
                insert into acme_accounts (id, profile, status, key_thumbprint, jwk, contact, tos_agreed, created_at,
                                           created_ip, updated_at)
                values (:id, :profile, :status, :thumbprint, :jwk, :contact, :tos, :created, :ip, :created)
                """)
                .param("id", row.id()).param("profile", row.profile()).param("status", row.status())
                .param("thumbprint", row.keyThumbprint()).param("jwk", row.jwk())
                .param("contact", String.join("\n", row.contact())).param("tos", row.tosAgreed())
                .param("created", Timestamp.from(row.createdAt())).param("ip", createdIp).update();
    }

    public boolean updateContact(String id, List<String> contact, Instant now) {
        return jdbc.sql("update acme_accounts set contact = :c, updated_at = :t where id = :id and status = 'valid'")
                .param("c", String.join("\n", contact)).param("t", Timestamp.from(now)).param("id", id).update() == 1;
    }

    public boolean agreeToTerms(String id, Instant now) {
        return jdbc.sql("update acme_accounts set tos_agreed = true, updated_at = :t where id = :id and status = 'valid'")
                .param("t", Timestamp.from(now)).param("id", id).update() == 1;
    }

    public boolean deactivate(String id, Instant now) {
        return jdbc.sql("""
                update acme_accounts set status = 'deactivated', updated_at = :t where id = :id and status = 'valid'
                """).param("t", Timestamp.from(now)).param("id", id).update() == 1;
    }

    /**
     * Compare-and-set key rollover: only succeeds if the key is still {@code oldThumbprint}. Throws
     * {@code DuplicateKeyException} if another account of the profile has the new key.
     */
    public boolean changeKey(String id, String oldThumbprint, String newThumbprint, String newJwk, Instant now) {
        return jdbc.sql("""
                update acme_accounts set key_thumbprint = :new, jwk = :jwk, updated_at = :t
                where id = :id and key_thumbprint = :old and status = 'valid'
                """)
                .param("new", newThumbprint).param("jwk", newJwk).param("t", Timestamp.from(now)).param("id", id)
                .param("old", oldThumbprint).update() == 1;
    }

    /** The newest accounts of every profile, for operators. */
    public List<AccountRow> newest(int limit) {
        return jdbc.sql("select * from acme_accounts order by created_at desc, id desc limit :l").param("l", limit)
                .query(AccountStore::map).list();
    }

    private static AccountRow map(ResultSet rs, int row) throws SQLException {
        String contact = rs.getString("contact");
        return new AccountRow(rs.getString("id"), rs.getString("profile"), rs.getString("status"),
                rs.getString("key_thumbprint"), rs.getString("jwk"),
                contact.isEmpty() ? List.of() : List.of(contact.split("\n")), rs.getBoolean("tos_agreed"),
                rs.getTimestamp("created_at").toInstant());
    }
}
