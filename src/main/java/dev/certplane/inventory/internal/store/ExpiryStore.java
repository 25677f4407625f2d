package dev.certplane.inventory.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import dev.certplane.inventory.CertificateStatus;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The expiry loop's reads and writes on {@code inv_certificates}. Every read is a keyset page in
 * {@code (not_after, id)} order answered by an index: {@code inv_certificates_not_after_idx (not_after, id)} for the
 * actionable range, {@code inv_certificates_status_idx (status, not_after)} for rows whose status is out of date,
 * so neither reads the valid rows far from expiry that make up most of an inventory.
 */
@Repository
public class ExpiryStore {

    private static final String COLUMNS = """
            select id, subject, subject_cn, names, not_after, revoked_at, status, is_ca, stale from inv_certificates
            """;
    /** After the cursor in (not_after, id) order; the first conjunct lets the index start at the cursor. */
    private static final String AFTER_CURSOR = """
             not_after >= :cursorNotAfter and (not_after > :cursorNotAfter or id > :cursorId)
            """;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;

    ExpiryStore(JdbcClient jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /** What the loop needs of one certificate. */
    public record Row(String id, String subject, String subjectCommonName, List<String> names, Instant notAfter,
            @Nullable Instant revokedAt, CertificateStatus status, boolean ca, boolean stale) {

        public Cursor cursor() {
            return new Cursor(notAfter, id);
        }
    }

    /** Where the previous page ended, in (not_after, id) order. */
    public record Cursor(Instant notAfter, String id) {

        /** Before every row that expires at or after {@code notAfter} (ids are never empty). */
        public static Cursor before(Instant notAfter) {
            return new Cursor(notAfter, "");
        }
    }

    /** Certificates with {@code notAfter} up to {@code to}, after the cursor. */
    public List<Row> expiringUpTo(Instant to, Cursor after, int limit) {
        return jdbc.sql(COLUMNS + " where not_after <= :to and" + AFTER_CURSOR
                + " order by not_after, id fetch first " + limit + " rows only")
                .param("to", Timestamp.from(to)).param("cursorNotAfter", Timestamp.from(after.notAfter()))
                .param("cursorId", after.id()).query(ExpiryStore::row).list();
    }

    /** Certificates stored with {@code status} whose {@code notAfter} is after the cursor. */
    public List<Row> withStatus(CertificateStatus status, Cursor after, int limit) {
        return jdbc.sql(COLUMNS + " where status = :status and" + AFTER_CURSOR
                + " order by not_after, id fetch first " + limit + " rows only")
                .param("status", status.wire()).param("cursorNotAfter", Timestamp.from(after.notAfter()))
                .param("cursorId", after.id()).query(ExpiryStore::row).list();
    }

    /** Certificates stored with {@code status} that expire before {@code before}, after the cursor if any. */
    public List<Row> withStatusBefore(CertificateStatus status, Instant before, @Nullable Cursor after, int limit) {
        var statement = jdbc.sql(COLUMNS + " where status = :status and not_after < :before"
                + (after == null ? "" : " and" + AFTER_CURSOR) + " order by not_after, id fetch first " + limit
                + " rows only").param("status", status.wire()).param("before", Timestamp.from(before));
        if (after != null) {
            statement = statement.param("cursorNotAfter", Timestamp.from(after.notAfter())).param("cursorId", after.id());
        }
        return statement.query(ExpiryStore::row).list();
    }

    /** A status change to write: only applied if the row still has the status it was read with. */
    public record StatusChange(String id, CertificateStatus from, CertificateStatus to) {
    }

    /** Writes the changes in one batch; returns how many rows changed. */
    public int updateStatuses(List<StatusChange> changes, Instant now) {
        if (changes.isEmpty()) {
            return 0;
        }
        int[] counts = named.batchUpdate("""
                update inv_certificates set status = :to, updated_at = :now where id = :id and status = :from
                """, changes.stream().map(c -> new MapSqlParameterSource("id", c.id()).addValue("from", c.from().wire())
                .addValue("to", c.to().wire()).addValue("now", Timestamp.from(now)))
                .toArray(MapSqlParameterSource[]::new));
        int changed = 0;
        for (int count : counts) {
            // A driver may answer SUCCESS_NO_INFO (-2) for a batched statement; count it as applied.
            changed += count == -2 ? 1 : count;
        }
        return changed;
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        String names = rs.getString("names");
        Timestamp revokedAt = rs.getTimestamp("revoked_at");
        return new Row(rs.getString("id"), rs.getString("subject"), rs.getString("subject_cn"),
                names == null || names.isEmpty() ? List.of() : List.of(names.split("\n")),
                rs.getTimestamp("not_after").toInstant(), revokedAt == null ? null : revokedAt.toInstant(),
                CertificateStatus.parse(rs.getString("status")), rs.getBoolean("is_ca"), rs.getBoolean("stale"));
    }
}
