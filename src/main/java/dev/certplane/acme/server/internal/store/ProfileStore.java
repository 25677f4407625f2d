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

/** Owns {@code acme_profiles}. List columns hold one entry per line. */
@Repository
public class ProfileStore {

    private final JdbcClient jdbc;

    ProfileStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record ProfileRow(String name, String authMode, List<String> allowedDomains, List<String> allowedIpRanges,
            long validitySeconds, List<String> keyTypes, String description, String source, boolean caaEnabled,
            List<String> caaIdentities, @Nullable String upstreamIssuer, @Nullable String upstreamDnsProvider,
            @Nullable String upstreamChallenge, Instant createdAt, Instant updatedAt) {
    }

    public List<ProfileRow> all() {
        return jdbc.sql("select * from acme_profiles order by name").query(ProfileStore::map).list();
    }

    public Optional<ProfileRow> find(String name) {
        return jdbc.sql("select * from acme_profiles where name = :n").param("n", name).query(ProfileStore::map)
                .optional();
    }

    public void insert(ProfileRow row) {
        jdbc.sql("""
                insert into acme_profiles (name, auth_mode, allowed_domains, allowed_ip_ranges, validity_seconds,
                                           key_types, description, source, caa_enabled, caa_identities,
                                           upstream_issuer, upstream_dns_provider, upstream_challenge,
                                           created_at, updated_at)
                values (:name, :mode, :domains, :ranges, :validity, :types, :description, :source, :caa, :caaIdentities,
                        :upIssuer, :upDns, :upChallenge, :created, :updated)
                """)
                .param("caa", row.caaEnabled()).param("caaIdentities", join(row.caaIdentities()))
                .param("upIssuer", row.upstreamIssuer()).param("upDns", row.upstreamDnsProvider())
                .param("upChallenge", row.upstreamChallenge())
                .param("name", row.name()).param("mode", row.authMode()).param("domains", join(row.allowedDomains()))
                .param("ranges", join(row.allowedIpRanges())).param("validity", row.validitySeconds())
                .param("types", join(row.keyTypes())).param("description", row.description())
                .param("source", row.source()).param("created", Timestamp.from(row.createdAt()))
                .param("updated", Timestamp.from(row.updatedAt())).update();
    }

    /** @return false if no row of that name and source exists */
    public boolean update(ProfileRow row) {
        return jdbc.sql("""
                update acme_profiles set auth_mode = :mode, allowed_domains = :domains, allowed_ip_ranges = :ranges,
                       validity_seconds = :validity, key_types = :types, description = :description,
                       caa_enabled = :caa, caa_identities = :caaIdentities, upstream_issuer = :upIssuer,
                       upstream_dns_provider = :upDns, upstream_challenge = :upChallenge, updated_at = :updated
                where name = :name and source = :source
                """)
                .param("caa", row.caaEnabled()).param("caaIdentities", join(row.caaIdentities()))
                .param("upIssuer", row.upstreamIssuer()).param("upDns", row.upstreamDnsProvider())
                .param("upChallenge", row.upstreamChallenge())
                .param("name", row.name()).param("mode", row.authMode()).param("domains", join(row.allowedDomains()))
                .param("ranges", join(row.allowedIpRanges())).param("validity", row.validitySeconds())
                .param("types", join(row.keyTypes())).param("description", row.description())
                .param("source", row.source()).param("updated", Timestamp.from(row.updatedAt())).update() == 1;
    }

    public boolean delete(String name, String source) {
        return jdbc.sql("delete from acme_profiles where name = :n and source = :s").param("n", name)
                .param("s", source).update() == 1;
    }

    private static String join(List<String> values) {
        return String.join("\n", values);
    }

    private static List<String> split(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static ProfileRow map(ResultSet rs, int row) throws SQLException {
        return new ProfileRow(rs.getString("name"), rs.getString("auth_mode"), split(rs.getString("allowed_domains")),
                split(rs.getString("allowed_ip_ranges")), rs.getLong("validity_seconds"),
                split(rs.getString("key_types")), rs.getString("description"), rs.getString("source"),
                rs.getBoolean("caa_enabled"), split(rs.getString("caa_identities")), rs.getString("upstream_issuer"),
                rs.getString("upstream_dns_provider"), rs.getString("upstream_challenge"), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
