package dev.certplane.inventory.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.certplane.inventory.CertificateVersion;
import dev.certplane.inventory.CurrentVersion;
import dev.certplane.inventory.ManagedCertificate;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code inv_managed_certificates} and {@code inv_certificate_versions}; joins {@code inv_certificates} to read versions. */
@Repository
public class ManagedCertificateStore {

    private final JdbcClient jdbc;

    ManagedCertificateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(ManagedCertificate row) {
        jdbc.sql("""
                insert into inv_managed_certificates (id, name, name_key, names, profile, owner, organization, tags,
                                                      current_version, latest_version, created_at, updated_at)
                values (:id, :name, :key, :names, :profile, :owner, :organization, :tags, null, 0, :created, :updated)
                """)
                .param("id", row.id()).param("name", row.name()).param("key", key(row.name()))
                .param("names", join(row.names())).param("profile", row.profile()).param("owner", row.owner())
                .param("organization", row.organization()).param("tags", join(row.tags()))
                .param("created", Timestamp.from(row.createdAt())).param("updated", Timestamp.from(row.updatedAt()))
                .update();
    }

    public boolean update(ManagedCertificate row) {
        return jdbc.sql("""
                update inv_managed_certificates set name = :name, name_key = :key, names = :names, profile = :profile,
                       owner = :owner, organization = :organization, tags = :tags, updated_at = :updated
                where id = :id
                """)
                .param("id", row.id()).param("name", row.name()).param("key", key(row.name()))
                .param("names", join(row.names())).param("profile", row.profile()).param("owner", row.owner())
                .param("organization", row.organization()).param("tags", join(row.tags()))
                .param("updated", Timestamp.from(row.updatedAt())).update() == 1;
    }

    public Optional<ManagedCertificate> find(String id) {
        return jdbc.sql("select * from inv_managed_certificates where id = :id").param("id", id)
                .query(ManagedCertificateStore::managed).optional();
    }

    public Optional<ManagedCertificate> findByName(String name) {
        return jdbc.sql("select * from inv_managed_certificates where name_key = :key").param("key", key(name))
                .query(ManagedCertificateStore::managed).optional();
    }

    /**
     * @param text matched case-insensitively against the name and the names, or {@code null}
     */
    public List<ManagedCertificate> list(@Nullable String text, @Nullable String organization, @Nullable String tag,
            long offset, int limit) {
        Filter filter = filter(text, organization, tag);
        var spec = jdbc.sql("select * from inv_managed_certificates" + filter.where
                + " order by name_key, id offset " + offset + " rows fetch next " + limit + " rows only");
        for (int i = 0; i < filter.values.size(); i++) {
            spec = spec.param("p" + i, filter.values.get(i));
        }
        if (tag != null) {
            spec = spec.param("nl", "\n");
        }
        return spec.query(ManagedCertificateStore::managed).list();
    }

    public long count(@Nullable String text, @Nullable String organization, @Nullable String tag) {
        Filter filter = filter(text, organization, tag);
        var spec = jdbc.sql("select count(*) from inv_managed_certificates" + filter.where);
        for (int i = 0; i < filter.values.size(); i++) {
            spec = spec.param("p" + i, filter.values.get(i));
        }
        if (tag != null) {
            spec = spec.param("nl", "\n");
        }
        return spec.query(Long.class).single();
    }

    /**
     * Takes the next version number: the update locks the row, so concurrent issuances of one managed
     * certificate get distinct, gap-free numbers, and the new version becomes the current one.
     */
    public int nextVersion(String managedCertificateId, Instant now) {
        int updated = jdbc.sql("""
                update inv_managed_certificates set latest_version = latest_version + 1,
                       current_version = latest_version + 1, updated_at = :now
                where id = :id
                """).param("id", managedCertificateId).param("now", Timestamp.from(now)).update();
        if (updated != 1) {
            throw new IllegalArgumentException("there is no managed certificate " + managedCertificateId);
        }
        return jdbc.sql("select latest_version from inv_managed_certificates where id = :id")
                .param("id", managedCertificateId).query(Integer.class).single();
    }

    public void insertVersion(String managedCertificateId, int version, String certificateId, String source,
            String reference, Instant now) {
        jdbc.sql("""
                insert into inv_certificate_versions (managed_certificate_id, version, certificate_id, source, reference,
                                                      created_at)
                values (:managed, :version, :certificate, :source, :reference, :created)
                """).param("managed", managedCertificateId).param("version", version).param("certificate", certificateId)
                .param("source", source).param("reference", reference).param("created", Timestamp.from(now)).update();
    }

    public List<CertificateVersion> versions(String managedCertificateId) {
        return jdbc.sql(VERSION_SELECT + " where v.managed_certificate_id = :id order by v.version desc")
                .param("id", managedCertificateId).query(ManagedCertificateStore::version).list();
    }

    public Optional<CertificateVersion> version(String managedCertificateId, int version) {
        return jdbc.sql(VERSION_SELECT + " where v.managed_certificate_id = :id and v.version = :version")
                .param("id", managedCertificateId).param("version", version).query(ManagedCertificateStore::version)
                .optional();
    }

    public Optional<CertificateVersion> versionByFingerprint(String managedCertificateId, String fingerprint) {
        return jdbc.sql(VERSION_SELECT + " where v.managed_certificate_id = :id and c.fingerprint_sha256 = :fp")
                .param("id", managedCertificateId).param("fp", fingerprint).query(ManagedCertificateStore::version)
                .optional();
    }

    /**
     * Makes an earlier version current again, only while {@code from} is current: a rollback never undoes a
     * version that arrived in the meantime.
     */
    public boolean restoreVersion(String managedCertificateId, int from, int to, Instant now) {
        return jdbc.sql("""
                update inv_managed_certificates set current_version = :to, updated_at = :now
                where id = :id and current_version = :from
                """).param("id", managedCertificateId).param("from", from).param("to", to)
                .param("now", Timestamp.from(now)).update() == 1;
    }

    /** The managed certificate one of whose versions is this inventory certificate, if any. */
    public Optional<String> managedCertificateOf(String certificateId) {
        return jdbc.sql("select managed_certificate_id from inv_certificate_versions where certificate_id = :id"
                + " fetch first 1 rows only").param("id", certificateId).query(String.class).optional();
    }

    /** Managed certificates with their current version, in (notAfter, id) order after the cursor. */
    public List<CurrentVersion> currentVersions(@Nullable Instant afterNotAfter, @Nullable String afterId,
            int limit) {
        String after = afterNotAfter == null ? ""
                : " where c.not_after > :afterNotAfter or (c.not_after = :afterNotAfter and m.id > :afterId)";
        var spec = jdbc.sql("""
                select m.*, v.managed_certificate_id, v.version, v.certificate_id, v.source, v.reference,
                       v.created_at as version_created_at, c.serial, c.fingerprint_sha256, c.issuer,
                       c.names as version_names, c.not_before, c.not_after
                from inv_managed_certificates m
                join inv_certificate_versions v on v.managed_certificate_id = m.id and v.version = m.current_version
                join inv_certificates c on c.id = v.certificate_id""" + after
                + " order by c.not_after, m.id fetch first " + limit + " rows only");
        if (afterNotAfter != null) {
            spec = spec.param("afterNotAfter", Timestamp.from(afterNotAfter)).param("afterId", afterId);
        }
        return spec.query((rs, n) -> new CurrentVersion(managed(rs, n), new CertificateVersion(
                rs.getString("managed_certificate_id"), rs.getInt("version"), rs.getString("certificate_id"),
                rs.getString("serial"), rs.getString("fingerprint_sha256"), rs.getString("issuer"),
                split(rs.getString("version_names")), rs.getTimestamp("not_before").toInstant(),
                rs.getTimestamp("not_after").toInstant(), rs.getString("source"), rs.getString("reference"),
                rs.getTimestamp("version_created_at").toInstant()))).list();
    }

    private static final String VERSION_SELECT = """
            select v.managed_certificate_id, v.version, v.certificate_id, v.source, v.reference, v.created_at,
                   c.serial, c.fingerprint_sha256, c.issuer, c.names, c.not_before, c.not_after
            from inv_certificate_versions v join inv_certificates c on c.id = v.certificate_id
            """;

    private record Filter(String where, List<String> values) {
    }

    private static Filter filter(@Nullable String text, @Nullable String organization, @Nullable String tag) {
        List<String> clauses = new ArrayList<>();
        List<String> values = new ArrayList<>();
        if (text != null) {
            clauses.add("(name_key like :p" + values.size() + " escape '\\' or lower(names) like :p" + values.size()
                    + " escape '\\')");
            values.add("%" + like(text.toLowerCase(Locale.ROOT)) + "%");
        }
        if (organization != null) {
            clauses.add("organization = :p" + values.size());
            values.add(organization);
        }
        if (tag != null) {
            // Tags are stored one per line, so a whole-line match is an exact tag match.
            clauses.add("(:nl || tags || :nl) like :p" + values.size() + " escape '\\'");
            values.add("%\n" + like(tag) + "\n%");
        }
        return new Filter(clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses), values);
    }

    private static String like(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String join(List<String> values) {
        return String.join("\n", values);
    }

    private static List<String> split(@Nullable String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static ManagedCertificate managed(ResultSet rs, int n) throws SQLException {
        Integer current = rs.getObject("current_version", Integer.class);
        return new ManagedCertificate(rs.getString("id"), rs.getString("name"), split(rs.getString("names")),
                rs.getString("profile"), rs.getString("owner"), rs.getString("organization"),
                split(rs.getString("tags")), current, rs.getInt("latest_version"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private static CertificateVersion version(ResultSet rs, int n) throws SQLException {
        return new CertificateVersion(rs.getString("managed_certificate_id"), rs.getInt("version"),
                rs.getString("certificate_id"), rs.getString("serial"), rs.getString("fingerprint_sha256"),
                rs.getString("issuer"), split(rs.getString("names")), rs.getTimestamp("not_before").toInstant(),
                rs.getTimestamp("not_after").toInstant(), rs.getString("source"), rs.getString("reference"),
                rs.getTimestamp("created_at").toInstant());
    }

}
