package dev.certplane.acme.client.internal.store;

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

/** Owns {@code acme_client_issuers}. Sealed values are stored as the secrets module returns them. */
@Repository
public class IssuerStore {

    private final JdbcClient jdbc;

    IssuerStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record IssuerRow(String id, String name, String preset, String directoryUrl, @Nullable String contact,
            @Nullable String eabKid, @Nullable String eabHmacSealed, @Nullable String preferredChain,
            @Nullable String acmeProfile, @Nullable String trustBundlePem, String accountKeySealed,
            String accountPublicKey, @Nullable String accountUrl, String status, @Nullable String lastError, Instant createdAt,
            Instant updatedAt) {
    }

    public void insert(IssuerRow row) {
        jdbc.sql("""
                insert into acme_client_issuers (id, name, name_key, preset, directory_url, contact, eab_kid,
                    eab_hmac_sealed, preferred_chain, acme_profile, trust_bundle_pem, account_key_sealed, account_public_key, account_url,
                    status, last_error, created_at, updated_at)
                values (:id, :name, :key, :preset, :url, :contact, :kid, :hmac, :chain, :profile, :bundle, :accountKey,
                    :publicKey, :accountUrl, :status, :error, :created, :updated)
                """)
                .param("id", row.id()).param("name", row.name()).param("key", row.name().toLowerCase(Locale.ROOT))
                .param("preset", row.preset()).param("url", row.directoryUrl()).param("contact", row.contact())
                .param("kid", row.eabKid()).param("hmac", row.eabHmacSealed()).param("chain", row.preferredChain())
                .param("profile", row.acmeProfile()).param("bundle", row.trustBundlePem())
                .param("accountKey", row.accountKeySealed()).param("publicKey", row.accountPublicKey())
                .param("accountUrl", row.accountUrl())
                .param("status", row.status()).param("error", row.lastError())
                .param("created", Timestamp.from(row.createdAt())).param("updated", Timestamp.from(row.updatedAt()))
                .update();
    }

    public boolean nameTaken(String name) {
        return jdbc.sql("select count(*) from acme_client_issuers where name_key = :k")
                .param("k", name.toLowerCase(Locale.ROOT)).query(Long.class).single() > 0;
    }

    public Optional<IssuerRow> find(String id) {
        return jdbc.sql("select * from acme_client_issuers where id = :id").param("id", id).query(IssuerStore::map)
                .optional();
    }

    public Optional<IssuerRow> findByName(String name) {
        return jdbc.sql("select * from acme_client_issuers where name_key = :k").param("k", name.toLowerCase(Locale.ROOT))
                .query(IssuerStore::map).optional();
    }

    public List<IssuerRow> all() {
        return jdbc.sql("select * from acme_client_issuers order by name_key").query(IssuerStore::map).list();
    }

    /** Records the outcome of a registration attempt. */
    public boolean registered(String id, @Nullable String accountUrl, @Nullable String error, Instant now) {
        return jdbc.sql("""
                update acme_client_issuers set account_url = :url, status = :status, last_error = :error, updated_at = :t
                where id = :id
                """).param("url", accountUrl).param("status", accountUrl != null ? "registered" : "failed")
                .param("error", error).param("t", Timestamp.from(now)).param("id", id).update() == 1;
    }

    public boolean delete(String id) {
        return jdbc.sql("delete from acme_client_issuers where id = :id").param("id", id).update() == 1;
    }

    private static IssuerRow map(ResultSet rs, int row) throws SQLException {
        return new IssuerRow(rs.getString("id"), rs.getString("name"), rs.getString("preset"),
                rs.getString("directory_url"), rs.getString("contact"), rs.getString("eab_kid"),
                rs.getString("eab_hmac_sealed"), rs.getString("preferred_chain"), rs.getString("acme_profile"),
                rs.getString("trust_bundle_pem"), rs.getString("account_key_sealed"), rs.getString("account_public_key"),
                rs.getString("account_url"),
                rs.getString("status"), rs.getString("last_error"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
