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

/** Owns {@code acme_client_dns_providers}; the TSIG secret and the API token are stored sealed. */
@Repository
public class DnsProviderStore {

    private final JdbcClient jdbc;

    DnsProviderStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The fields of the provider's type are set, the others null: {@code rfc2136} has the server and the TSIG
     * key, {@code cloudflare} the API token and perhaps a zone id, {@code exec} the program.
     */
    public record DnsProviderRow(String id, String name, String type, @Nullable String server,
            @Nullable String tsigKeyName, @Nullable String tsigAlgorithm, @Nullable String tsigSecretSealed,
            @Nullable String apiTokenSealed, @Nullable String zoneId, @Nullable String program, Instant createdAt) {
    }

    public void insert(DnsProviderRow row) {
        jdbc.sql("""
                insert into acme_client_dns_providers (id, name, name_key, type, server, tsig_key_name, tsig_algorithm,
                    tsig_secret_sealed, api_token_sealed, zone_id, program, created_at)
                values (:id, :name, :key, :type, :server, :tsigName, :algorithm, :secret, :token, :zone, :program,
                    :created)
                """)
                .param("id", row.id()).param("name", row.name()).param("key", row.name().toLowerCase(Locale.ROOT))
                .param("type", row.type()).param("server", row.server()).param("tsigName", row.tsigKeyName())
                .param("algorithm", row.tsigAlgorithm()).param("secret", row.tsigSecretSealed())
                .param("token", row.apiTokenSealed()).param("zone", row.zoneId()).param("program", row.program())
                .param("created", Timestamp.from(row.createdAt())).update();
    }

    public boolean nameTaken(String name) {
        return jdbc.sql("select count(*) from acme_client_dns_providers where name_key = :k")
                .param("k", name.toLowerCase(Locale.ROOT)).query(Long.class).single() > 0;
    }

    public Optional<DnsProviderRow> find(String id) {
        return jdbc.sql("select * from acme_client_dns_providers where id = :id").param("id", id)
                .query(DnsProviderStore::map).optional();
    }

    public Optional<DnsProviderRow> findByName(String name) {
        return jdbc.sql("select * from acme_client_dns_providers where name_key = :k")
                .param("k", name.toLowerCase(Locale.ROOT)).query(DnsProviderStore::map).optional();
    }

    public List<DnsProviderRow> all() {
        return jdbc.sql("select * from acme_client_dns_providers order by name_key").query(DnsProviderStore::map).list();
    }

    private static DnsProviderRow map(ResultSet rs, int n) throws SQLException {
        return new DnsProviderRow(rs.getString("id"), rs.getString("name"), rs.getString("type"),
                rs.getString("server"), rs.getString("tsig_key_name"), rs.getString("tsig_algorithm"),
                rs.getString("tsig_secret_sealed"), rs.getString("api_token_sealed"), rs.getString("zone_id"),
                rs.getString("program"), rs.getTimestamp("created_at").toInstant());
    }
}
