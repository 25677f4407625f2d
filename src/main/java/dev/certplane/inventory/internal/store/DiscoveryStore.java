package dev.certplane.inventory.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.certplane.inventory.internal.discovery.ScanRun;
import dev.certplane.inventory.internal.discovery.ScanTarget;
import dev.certplane.inventory.internal.discovery.ScanTargetDraft;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Owns {@code inv_scan_targets} and {@code inv_scan_runs}, and writes what scans find into
 * {@code inv_endpoints}, {@code inv_certificate_sources} and the {@code stale} flag of {@code inv_certificates},
 * always limited to one source (a discovery target or a probe target).
 */
@Repository
public class DiscoveryStore {

    private final JdbcClient jdbc;

    DiscoveryStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An endpoint row of one source that is not stale; {@code sni} is {@code ""} when none was sent. */
    public record LiveEndpoint(String certificateId, String host, int port, String sni) {
    }

    /** @return false if another target has the name */
    public boolean insertTarget(ScanTarget t) {
        try {
            jdbc.sql("""
                    insert into inv_scan_targets (id, name, endpoints, cidr, ports, sni, interval_seconds, enabled,
                        created_at, updated_at, next_run_at, last_run_at)
                    values (:id, :name, :endpoints, :cidr, :ports, :sni, :interval, :enabled, :created, :updated,
                        :next, :last)
                    """).paramSource(targetParams(t)).update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** @return false if another target has the name */
    public boolean updateTarget(ScanTarget t) {
        try {
            jdbc.sql("""
                    update inv_scan_targets set name = :name, endpoints = :endpoints, cidr = :cidr, ports = :ports,
                        sni = :sni, interval_seconds = :interval, enabled = :enabled, updated_at = :updated,
                        next_run_at = :next
                    where id = :id
                    """).paramSource(targetParams(t)).update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public Optional<ScanTarget> findTarget(String id) {
        return jdbc.sql("select * from inv_scan_targets where id = :id").param("id", id)
                .query(DiscoveryStore::target).optional();
    }

    /** Locks the target's row until the transaction ends, so a run request and a deletion do not interleave. */
    public Optional<ScanTarget> lockTarget(String id) {
        return jdbc.sql("select * from inv_scan_targets where id = :id for update").param("id", id)
                .query(DiscoveryStore::target).optional();
    }

    public boolean nameTaken(String name, String exceptId) {
        return jdbc.sql("select count(*) from inv_scan_targets where name = :name and id <> :id")
                .param("name", name).param("id", exceptId).query(Long.class).single() > 0;
    }

    public List<ScanTarget> targets() {
        return jdbc.sql("select * from inv_scan_targets order by name").query(DiscoveryStore::target).list();
    }

    public void deleteTarget(String id) {
        jdbc.sql("delete from inv_scan_runs where target_id = :id").param("id", id).update();
        jdbc.sql("delete from inv_scan_targets where id = :id").param("id", id).update();
    }

    /** Enabled targets due at {@code now} with no run in progress, most overdue first. */
    public List<ScanTarget> dueTargets(Instant now) {
        return jdbc.sql("""
                select * from inv_scan_targets t
                where t.enabled = true and t.next_run_at <= :now
                  and not exists (select 1 from inv_scan_runs r where r.target_id = t.id and r.state = 'running')
                order by t.next_run_at, t.id
                """).param("now", Timestamp.from(now)).query(DiscoveryStore::target).list();
    }

    /**
     * Claims a due target by compare-and-set on {@code next_run_at}: of several pollers that saw the same value,
     * exactly one moves it on.
     */
    public boolean claim(String id, Instant seenNextRunAt, @Nullable Instant nextRunAt, Instant now) {
        return jdbc.sql("""
                update inv_scan_targets set next_run_at = :next, last_run_at = :now
                where id = :id and next_run_at = :seen
                """).param("id", id).param("seen", Timestamp.from(seenNextRunAt)).param("next", timestamp(nextRunAt))
                .param("now", Timestamp.from(now)).update() == 1;
    }

    public void insertRun(ScanRun run) {
        jdbc.sql("""
                insert into inv_scan_runs (id, target_id, state, queued_at, started_at, finished_at, endpoints_scanned,
                    handshakes_ok, certificates_seen, certificates_added, endpoints_stale, error)
                values (:id, :target, :state, :queued, :started, :finished, :scanned, :ok, :seen, :added, :stale, :error)
                """).param("id", run.id()).param("target", run.targetId()).param("state", run.state().wire())
                .param("queued", Timestamp.from(run.queuedAt())).param("started", timestamp(run.startedAt()))
                .param("finished", timestamp(run.finishedAt())).param("scanned", run.endpointsScanned())
                .param("ok", run.handshakesOk()).param("seen", run.certificatesSeen())
                .param("added", run.certificatesAdded()).param("stale", run.endpointsStale())
                .param("error", cut(run.error())).update();
    }

    public Optional<ScanRun> findRun(String id) {
        return jdbc.sql("select * from inv_scan_runs where id = :id").param("id", id).query(DiscoveryStore::run)
                .optional();
    }

    public Optional<ScanRun> queuedRun(String targetId) {
        return jdbc.sql("""
                select * from inv_scan_runs where target_id = :id and state = 'queued'
                order by queued_at, id fetch first 1 rows only
                """).param("id", targetId).query(DiscoveryStore::run).optional();
    }

    public boolean hasRunning(String targetId) {
        return jdbc.sql("select count(*) from inv_scan_runs where target_id = :id and state = 'running'")
                .param("id", targetId).query(Long.class).single() > 0;
    }

    /** The target's latest runs, newest first. */
    public List<ScanRun> runs(String targetId, int limit) {
        return jdbc.sql("select * from inv_scan_runs where target_id = :id order by queued_at desc, id desc"
                + " fetch first " + limit + " rows only").param("id", targetId).query(DiscoveryStore::run).list();
    }

    /** Moves a queued run to running; false if it was not queued any more. */
    public boolean startRun(String runId, Instant now) {
        return jdbc.sql("update inv_scan_runs set state = 'running', started_at = :now where id = :id and state = 'queued'")
                .param("id", runId).param("now", Timestamp.from(now)).update() == 1;
    }

    /** Completes a running run; false if it is not running any more (a poll failed it as interrupted). */
    public boolean completeRun(ScanRun run) {
        return jdbc.sql("""
                update inv_scan_runs set state = 'completed', finished_at = :finished, endpoints_scanned = :scanned,
                    handshakes_ok = :ok, certificates_seen = :seen, certificates_added = :added,
                    endpoints_stale = :stale, error = :error
                where id = :id and state = 'running'
                """).param("id", run.id()).param("finished", timestamp(run.finishedAt()))
                .param("scanned", run.endpointsScanned()).param("ok", run.handshakesOk())
                .param("seen", run.certificatesSeen()).param("added", run.certificatesAdded())
                .param("stale", run.endpointsStale()).param("error", cut(run.error())).update() == 1;
    }

    /** Fails a queued or running run; false if it had ended already. */
    public boolean failRun(String runId, String error, Instant now) {
        return jdbc.sql("""
                update inv_scan_runs set state = 'failed', finished_at = :now, error = :error
                where id = :id and state in ('queued', 'running')
                """).param("id", runId).param("now", Timestamp.from(now)).param("error", cut(error)).update() == 1;
    }

    /** Runs in progress since before {@code startedBefore}: left behind by a process that stopped. */
    public List<ScanRun> runningSince(Instant startedBefore) {
        return jdbc.sql("select * from inv_scan_runs where state = 'running' and started_at < :before")
                .param("before", Timestamp.from(startedBefore)).query(DiscoveryStore::run).list();
    }

    public List<ScanRun> queuedRuns(String targetId) {
        return jdbc.sql("select * from inv_scan_runs where target_id = :id and state = 'queued'")
                .param("id", targetId).query(DiscoveryStore::run).list();
    }

    // What a scan found, applied to the inventory tables for one source only.

    /**
     * The source's endpoint rows that are not stale. A live row's certificate is always listed by its source (the
     * listing is dropped only together with the row going stale), so the rows are reached through the listing's
     * index on the source and the endpoints' primary key rather than by reading every endpoint row: a probe asks this
     * on every probe.
     */
    public List<LiveEndpoint> liveEndpoints(String source) {
        return jdbc.sql("""
                select e.certificate_id, e.host, e.port, e.sni
                from inv_certificate_sources s
                join inv_endpoints e on e.certificate_id = s.certificate_id and e.source = s.source
                where s.source = :source and e.stale_since is null
                """).param("source", source)
                .query((rs, n) -> new LiveEndpoint(rs.getString("certificate_id"), rs.getString("host"),
                        rs.getInt("port"), rs.getString("sni")))
                .list();
    }

    /** The endpoint serves the certificate now: a fresh row, or the known one seen again and no longer stale. */
    public void sawEndpoint(String certificateId, String host, int port, String sni, String source, Instant now) {
        int updated = jdbc.sql("""
                update inv_endpoints set last_seen = :now, stale_since = null
                where certificate_id = :id and host = :host and port = :port and sni = :sni and source = :source
                """).param("id", certificateId).param("host", host).param("port", port).param("sni", sni)
                .param("source", source).param("now", Timestamp.from(now)).update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into inv_endpoints (certificate_id, host, port, sni, source, first_seen, last_seen, stale_since)
                    values (:id, :host, :port, :sni, :source, :now, :now, null)
                    """).param("id", certificateId).param("host", host).param("port", port).param("sni", sni)
                    .param("source", source).param("now", Timestamp.from(now)).update();
        }
    }

    public void endpointStale(LiveEndpoint endpoint, String source, Instant now) {
        jdbc.sql("""
                update inv_endpoints set stale_since = :now
                where certificate_id = :id and host = :host and port = :port and sni = :sni and source = :source
                  and stale_since is null
                """).param("id", endpoint.certificateId()).param("host", endpoint.host()).param("port", endpoint.port())
                .param("sni", endpoint.sni()).param("source", source).param("now", Timestamp.from(now)).update();
    }

    public List<String> certificatesListedBy(String source) {
        return jdbc.sql("select certificate_id from inv_certificate_sources where source = :source")
                .param("source", source).query(String.class).list();
    }

    /**
     * Takes the certificate off the source's list; a certificate no source lists any more becomes stale.
     *
     * @return whether it became stale
     */
    public boolean dropSource(String certificateId, String source, Instant now) {
        jdbc.sql("delete from inv_certificate_sources where certificate_id = :id and source = :source")
                .param("id", certificateId).param("source", source).update();
        return jdbc.sql("""
                update inv_certificates set stale = true, updated_at = :now
                where id = :id and stale = false
                  and not exists (select 1 from inv_certificate_sources s where s.certificate_id = :id)
                """).param("id", certificateId).param("now", Timestamp.from(now)).update() == 1;
    }

    private static MapSqlParameterSource targetParams(ScanTarget t) {
        ScanTargetDraft s = t.spec();
        return new MapSqlParameterSource().addValue("id", t.id()).addValue("name", s.name())
                .addValue("endpoints", String.join("\n", s.endpoints())).addValue("cidr", s.cidr())
                .addValue("ports", String.join(",", s.ports().stream().map(String::valueOf).toList()))
                .addValue("sni", s.sni()).addValue("interval", s.intervalSeconds()).addValue("enabled", s.enabled())
                .addValue("created", Timestamp.from(t.createdAt())).addValue("updated", Timestamp.from(t.updatedAt()))
                .addValue("next", timestamp(t.nextRunAt())).addValue("last", timestamp(t.lastRunAt()));
    }

    private static ScanTarget target(ResultSet rs, int n) throws SQLException {
        String endpoints = rs.getString("endpoints");
        String ports = rs.getString("ports");
        long interval = rs.getLong("interval_seconds");
        Long intervalSeconds = rs.wasNull() ? null : interval;
        ScanTargetDraft spec = new ScanTargetDraft(rs.getString("name"),
                endpoints.isEmpty() ? List.of() : List.of(endpoints.split("\n")), rs.getString("cidr"),
                ports.isEmpty() ? List.of() : Arrays.stream(ports.split(",")).map(Integer::valueOf).toList(),
                rs.getString("sni"), intervalSeconds, rs.getBoolean("enabled"));
        return new ScanTarget(rs.getString("id"), spec, rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), instant(rs, "next_run_at"), instant(rs, "last_run_at"));
    }

    private static ScanRun run(ResultSet rs, int n) throws SQLException {
        return new ScanRun(rs.getString("id"), rs.getString("target_id"), ScanRun.State.parse(rs.getString("state")),
                rs.getTimestamp("queued_at").toInstant(), instant(rs, "started_at"), instant(rs, "finished_at"),
                rs.getInt("endpoints_scanned"), rs.getInt("handshakes_ok"), rs.getInt("certificates_seen"),
                rs.getInt("certificates_added"), rs.getInt("endpoints_stale"), rs.getString("error"));
    }

    private static @Nullable String cut(@Nullable String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
