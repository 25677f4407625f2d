package dev.certplane.probes.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.certplane.handshake.Starttls;
import dev.certplane.probes.internal.ProbeCause;
import dev.certplane.probes.internal.ProbeResult;
import dev.certplane.probes.internal.ProbeStatus;
import dev.certplane.probes.internal.ProbeTarget;
import dev.certplane.probes.internal.ProbeTargetDraft;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code probe_targets} and {@code probe_results}. */
@Repository
public class ProbeStore {

    private final JdbcClient jdbc;

    ProbeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false if another target has the same host, port and SNI name */
    public boolean insertTarget(ProbeTarget t) {
        try {
            jdbc.sql("""
                    insert into probe_targets (id, host, port, sni, starttls, managed_certificate_id, interval_seconds,
                        enabled, created_at, updated_at, next_probe_at)
                    values (:id, :host, :port, :sni, :starttls, :managed, :interval, :enabled, :created, :updated, :next)
                    """).paramSource(targetParams(t)).update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Replaces the description and the next probe time; @return false if another target has the endpoint */
    public boolean updateTarget(ProbeTarget t) {
        try {
            jdbc.sql("""
                    update probe_targets set host = :host, port = :port, sni = :sni, starttls = :starttls,
                        managed_certificate_id = :managed, interval_seconds = :interval, enabled = :enabled,
                        updated_at = :updated, next_probe_at = :next
                    where id = :id
                    """).paramSource(targetParams(t)).update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public Optional<ProbeTarget> findTarget(String id) {
        return jdbc.sql("select * from probe_targets where id = :id").param("id", id).query(ProbeStore::target)
                .optional();
    }

    /** Locks the target's row until the transaction ends, so that recordings of its probes apply one at a time. */
    public Optional<ProbeTarget> lockTarget(String id) {
        return jdbc.sql("select * from probe_targets where id = :id for update").param("id", id)
                .query(ProbeStore::target).optional();
    }

    /** The target probing this endpoint, if any. */
    public Optional<String> targetAt(String host, int port, @Nullable String sni) {
        return jdbc.sql("select id from probe_targets where host = :host and port = :port and sni = :sni")
                .param("host", host).param("port", port).param("sni", sni == null ? "" : sni).query(String.class)
                .optional();
    }

    public long count(@Nullable String managedCertificateId, @Nullable ProbeStatus status) {
        Where where = where(managedCertificateId, status);
        return jdbc.sql("select count(*) from probe_targets" + where.sql()).paramSource(where.params())
                .query(Long.class).single();
    }

    /** Ordered by endpoint. */
    public List<ProbeTarget> page(@Nullable String managedCertificateId, @Nullable ProbeStatus status, long offset,
            int limit) {
        Where where = where(managedCertificateId, status);
        return jdbc.sql("select * from probe_targets" + where.sql() + " order by host, port, sni, id offset " + offset
                + " rows fetch next " + limit + " rows only").paramSource(where.params()).query(ProbeStore::target)
                .list();
    }

    private record Where(String sql, MapSqlParameterSource params) {
    }

    private static Where where(@Nullable String managedCertificateId, @Nullable ProbeStatus status) {
        List<String> clauses = new ArrayList<>();
        MapSqlParameterSource params = new MapSqlParameterSource();
        if (managedCertificateId != null) {
            clauses.add("managed_certificate_id = :managed");
            params.addValue("managed", managedCertificateId);
        }
        if (status != null) {
            clauses.add("status = :status");
            params.addValue("status", status.wire());
        }
        return new Where(clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses), params);
    }

    /** The enabled targets that should serve a managed certificate. */
    public List<ProbeTarget> enabledTargetsOf(String managedCertificateId) {
        return jdbc.sql("""
                select * from probe_targets where managed_certificate_id = :managed and enabled = true
                order by host, port, sni
                """).param("managed", managedCertificateId).query(ProbeStore::target).list();
    }

    /** Enabled targets whose next probe is due, earliest first. */
    public List<ProbeTarget> dueTargets(Instant now, int limit) {
        return jdbc.sql("""
                select * from probe_targets where next_probe_at <= :now and enabled = true
                order by next_probe_at, id fetch first %d rows only
                """.formatted(limit)).param("now", Timestamp.from(now)).query(ProbeStore::target).list();
    }

    /**
     * Moves the target's next probe on, if it is still the one that was read: of several pollers, one claims it.
     *
     * @param next {@code null} for a target no longer scheduled
     */
    public boolean claim(String id, Instant expected, @Nullable Instant next) {
        return jdbc.sql("update probe_targets set next_probe_at = :next where id = :id and next_probe_at = :expected")
                .param("id", id).param("expected", Timestamp.from(expected)).param("next", timestamp(next))
                .update() == 1;
    }

    /** What the target's latest probe found. */
    public void probed(String id, ProbeStatus status, Instant statusSince, String resultId, Instant probedAt) {
        jdbc.sql("""
                update probe_targets set status = :status, status_since = :since, last_result_id = :result,
                    last_probed_at = :at
                where id = :id
                """).param("id", id).param("status", status.wire()).param("since", Timestamp.from(statusSince))
                .param("result", resultId).param("at", Timestamp.from(probedAt)).update();
    }

    public void deleteTarget(String id) {
        jdbc.sql("delete from probe_results where target_id = :id").param("id", id).update();
        jdbc.sql("delete from probe_targets where id = :id").param("id", id).update();
    }

    public void insertResult(ProbeResult r) {
        jdbc.sql("""
                insert into probe_results (id, target_id, probed_at, cause, status, findings, error, protocol,
                    cipher_suite, ocsp_stapled, ocsp_status, trusted, trust_problem, leaf_fingerprint, leaf_subject,
                    leaf_not_after, served_version, expected_version, chain_fingerprints, duration_ms)
                values (:id, :target, :at, :cause, :status, :findings, :error, :protocol, :cipher, :stapled, :ocsp,
                    :trusted, :trustProblem, :leaf, :subject, :notAfter, :served, :expected, :chain, :duration)
                """)
                .param("id", r.id()).param("target", r.targetId()).param("at", Timestamp.from(r.probedAt()))
                .param("cause", r.cause().wire()).param("status", r.status().wire())
                .param("findings", truncate(String.join("\n", r.findings()), 8000)).param("error", truncate(r.error(), 1000))
                .param("protocol", r.protocol()).param("cipher", r.cipherSuite()).param("stapled", r.ocspStapled())
                .param("ocsp", truncate(r.ocspStatus(), 500)).param("trusted", r.trusted())
                .param("trustProblem", truncate(r.trustProblem(), 1000)).param("leaf", r.leafFingerprint())
                .param("subject", truncate(r.leafSubject(), 1000)).param("notAfter", timestamp(r.leafNotAfter()))
                .param("served", r.servedVersion()).param("expected", r.expectedVersion())
                .param("chain", String.join(",", r.chain().subList(0, Math.min(r.chain().size(), 30))))
                .param("duration", r.durationMs()).update();
    }

    public Optional<ProbeResult> findResult(String id) {
        return jdbc.sql("select * from probe_results where id = :id").param("id", id).query(ProbeStore::result)
                .optional();
    }

    /** The target's latest results, newest first. */
    public List<ProbeResult> results(String targetId, int limit) {
        return jdbc.sql("select * from probe_results where target_id = :t order by seq desc fetch first %d rows only"
                .formatted(limit)).param("t", targetId).query(ProbeStore::result).list();
    }

    /** Deletes results older than {@code cutoff}, except each target's latest; @return how many */
    public int deleteResultsBefore(Instant cutoff) {
        return jdbc.sql("""
                delete from probe_results where probed_at < :cutoff
                  and id not in (select last_result_id from probe_targets where last_result_id is not null)
                """).param("cutoff", Timestamp.from(cutoff)).update();
    }

    private static MapSqlParameterSource targetParams(ProbeTarget t) {
        ProbeTargetDraft s = t.spec();
        return new MapSqlParameterSource().addValue("id", t.id()).addValue("host", s.host()).addValue("port", s.port())
                .addValue("sni", s.sni() == null ? "" : s.sni()).addValue("starttls", s.starttls().wire())
                .addValue("managed", s.managedCertificateId()).addValue("interval", s.intervalSeconds())
                .addValue("enabled", s.enabled()).addValue("created", Timestamp.from(t.createdAt()))
                .addValue("updated", Timestamp.from(t.updatedAt())).addValue("next", timestamp(t.nextProbeAt()));
    }

    private static ProbeTarget target(ResultSet rs, int n) throws SQLException {
        long interval = rs.getLong("interval_seconds");
        Long intervalSeconds = rs.wasNull() ? null : interval;
        String sni = rs.getString("sni");
        String status = rs.getString("status");
        ProbeTargetDraft spec = new ProbeTargetDraft(rs.getString("host"), rs.getInt("port"),
                sni.isEmpty() ? null : sni, Starttls.parse(rs.getString("starttls")),
                rs.getString("managed_certificate_id"), intervalSeconds, rs.getBoolean("enabled"));
        return new ProbeTarget(rs.getString("id"), spec, rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), instant(rs, "next_probe_at"), instant(rs, "last_probed_at"),
                status == null ? null : ProbeStatus.parse(status), instant(rs, "status_since"),
                rs.getString("last_result_id"));
    }

    private static ProbeResult result(ResultSet rs, int n) throws SQLException {
        String findings = rs.getString("findings");
        String chain = rs.getString("chain_fingerprints");
        return new ProbeResult(rs.getString("id"), rs.getString("target_id"), rs.getTimestamp("probed_at").toInstant(),
                ProbeCause.parse(rs.getString("cause")), ProbeStatus.parse(rs.getString("status")),
                findings.isEmpty() ? List.of() : Arrays.asList(findings.split("\n")), rs.getString("error"),
                rs.getString("protocol"), rs.getString("cipher_suite"), rs.getBoolean("ocsp_stapled"),
                rs.getString("ocsp_status"), rs.getBoolean("trusted"), rs.getString("trust_problem"),
                rs.getString("leaf_fingerprint"), rs.getString("leaf_subject"), instant(rs, "leaf_not_after"),
                rs.getObject("served_version", Integer.class), rs.getObject("expected_version", Integer.class),
                chain.isEmpty() ? List.of() : Arrays.asList(chain.split(",")), rs.getInt("duration_ms"));
    }

    private static @Nullable String truncate(@Nullable String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
