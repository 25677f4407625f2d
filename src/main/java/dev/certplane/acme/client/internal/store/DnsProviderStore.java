package dev.certplane.acme.client.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code acme_client_dns_providers}; the TSIG secret is stored sealed. */
@Repository
public class DnsProviderStore {

    private final JdbcClient jdbc;

    DnsProviderStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record DnsProviderRow(String id, String name, String type, String server, String tsigKeyName,
            String tsigAlgorithm, String tsigSecretSealed, Instant createdAt) {
    }

    public void insert(DnsProviderRow row) {
        jdbc.sql("""
                insert into acme_client_dns_providers (id, name, name_key, type, server, tsig_key_name, tsig_algorithm,
                    tsig_secret_sealed, created_at)
                values (:id, :name, :key, :type, :server, :tsigName, :algorithm, :secret, :created)
                """)
                .param("id", row.id()).param("name", row.name()).param("key", row.name().toLowerCase(Locale.ROOT))
                .param("type", row.type()).param("server", row.server()).param("tsigName", row.tsigKeyName())
                .param("algorithm", row.tsigAlgorithm()).param("secret", row.tsigSecretSealed())
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
                rs.getString("tsig_secret_sealed"), rs.getTimestamp("created_at").toInstant());
    }
}
