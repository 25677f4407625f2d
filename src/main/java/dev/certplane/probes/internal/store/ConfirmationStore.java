package dev.certplane.probes.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.probes.internal.Confirmation;
import dev.certplane.probes.internal.Confirmation.Endpoint;
import dev.certplane.probes.internal.Confirmation.State;
import dev.certplane.probes.internal.ProbeStatus;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code probe_confirmations} and {@code probe_confirmation_endpoints}. */
@Repository
public class ConfirmationStore {

    /** The most ids one lookup binds, within every database's parameter limits. */
    private static final int CHUNK = 500;

    private final JdbcClient jdbc;

    ConfirmationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An endpoint's pending part with what its confirmation waits for. */
    public record Pending(String confirmationId, String managedCertificateId, int version, String fingerprintSha256,
            String cause, String reference, Instant deadline, Endpoint endpoint) {
    }

    /** Whether a confirmation was started for this cause and reference (an event delivered again). */
    public boolean exists(String cause, String reference) {
        return jdbc.sql("select count(*) from probe_confirmations where cause = :cause and reference = :reference")
                .param("cause", cause).param("reference", reference).query(Long.class).single() > 0;
    }

    /**
     * Inserts the confirmation with its endpoints, all pending. Two inserts for one cause and reference fail on the
     * unique index, so of two concurrent deliveries of one event one fails (and is delivered again, finding this one).
     */
    public void insert(Confirmation c) {
        jdbc.sql("""
                insert into probe_confirmations (id, managed_certificate_id, version, fingerprint_sha256, cause,
                    reference, started_at, deadline)
                values (:id, :managed, :version, :fingerprint, :cause, :reference, :started, :deadline)
                """).param("id", c.id()).param("managed", c.managedCertificateId()).param("version", c.version())
                .param("fingerprint", c.fingerprintSha256()).param("cause", c.cause())
                .param("reference", c.reference()).param("started", Timestamp.from(c.startedAt()))
                .param("deadline", Timestamp.from(c.deadline())).update();
        for (Endpoint e : c.endpoints()) {
            jdbc.sql("""
                    insert into probe_confirmation_endpoints (confirmation_id, target_id, host, port, sni, state, attempts)
                    values (:confirmation, :target, :host, :port, :sni, 'pending', 0)
                    """).param("confirmation", c.id()).param("target", e.targetId()).param("host", e.host())
                    .param("port", e.port()).param("sni", e.sni() == null ? "" : e.sni()).update();
        }
    }

    /** Targets with a pending part in some confirmation. */
    public List<String> targetsPending() {
        return jdbc.sql("select distinct target_id from probe_confirmation_endpoints where state = 'pending'")
                .query(String.class).list();
    }

    /** The target's pending parts, oldest confirmation first. */
    public List<Pending> pendingFor(String targetId) {
        return jdbc.sql("""
                select c.*, e.* from probe_confirmation_endpoints e join probe_confirmations c on c.id = e.confirmation_id
                where e.target_id = :target and e.state = 'pending' order by c.started_at, c.id
                """).param("target", targetId)
                .query((rs, n) -> new Pending(rs.getString("confirmation_id"), rs.getString("managed_certificate_id"),
                        rs.getInt("version"), rs.getString("fingerprint_sha256"), rs.getString("cause"),
                        rs.getString("reference"), rs.getTimestamp("deadline").toInstant(), endpoint(rs)))
                .list();
    }

    /** One more probe of a pending part. */
    public void attempted(String confirmationId, String targetId, ProbeStatus status, @Nullable Integer servedVersion) {
        jdbc.sql("""
                update probe_confirmation_endpoints set attempts = attempts + 1, last_status = :status,
                    served_version = :served
                where confirmation_id = :c and target_id = :t and state = 'pending'
                """).param("c", confirmationId).param("t", targetId).param("status", status.wire())
                .param("served", servedVersion).update();
    }

    /**
     * Concludes a pending part (counting the probe that concluded it).
     *
     * @return false if it was no longer pending
     */
    public boolean conclude(String confirmationId, String targetId, State state, ProbeStatus status,
            @Nullable Integer servedVersion, Instant at) {
        return jdbc.sql("""
                update probe_confirmation_endpoints set state = :state, attempts = attempts + 1, last_status = :status,
                    served_version = :served, concluded_at = :at
                where confirmation_id = :c and target_id = :t and state = 'pending'
                """).param("c", confirmationId).param("t", targetId).param("state", state.wire())
                .param("status", status.wire()).param("served", servedVersion).param("at", Timestamp.from(at))
                .update() == 1;
    }

    /** Drops a target's pending parts (it was deleted or disabled); concluded parts stay as evidence. */
    public void dropPending(String targetId) {
        jdbc.sql("delete from probe_confirmation_endpoints where target_id = :t and state = 'pending'")
                .param("t", targetId).update();
    }

    public Optional<Confirmation> find(String id) {
        return withEndpoints(jdbc.sql("select * from probe_confirmations where id = :id").param("id", id)
                .query(ConfirmationStore::confirmation).list()).stream().findFirst();
    }

    /** The confirmations of these references of one cause (such as delivery ids), by reference. */
    public Map<String, Confirmation> byReferences(String cause, Collection<String> references) {
        List<String> all = List.copyOf(references);
        Map<String, Confirmation> found = new LinkedHashMap<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Confirmation> chunk = jdbc.sql("""
                    select * from probe_confirmations where cause = :cause and reference in (:references)
                    """).param("cause", cause).param("references", all.subList(from, Math.min(all.size(), from + CHUNK)))
                    .query(ConfirmationStore::confirmation).list();
            withEndpoints(chunk).forEach(c -> found.put(c.reference(), c));
        }
        return found;
    }

    /** A managed certificate's latest confirmations, newest first. */
    public List<Confirmation> latest(String managedCertificateId, int limit) {
        return withEndpoints(jdbc.sql("""
                select * from probe_confirmations where managed_certificate_id = :m
                order by started_at desc, id fetch first %d rows only
                """.formatted(limit)).param("m", managedCertificateId).query(ConfirmationStore::confirmation).list());
    }

    private List<Confirmation> withEndpoints(List<Confirmation> confirmations) {
        if (confirmations.isEmpty()) {
            return confirmations;
        }
        Map<String, List<Endpoint>> endpoints = new LinkedHashMap<>();
        jdbc.sql("""
                select * from probe_confirmation_endpoints where confirmation_id in (:ids) order by host, port, sni
                """).param("ids", confirmations.stream().map(Confirmation::id).toList())
                .query((rs, n) -> Map.entry(rs.getString("confirmation_id"), endpoint(rs))).list()
                .forEach(e -> endpoints.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return confirmations.stream().map(c -> new Confirmation(c.id(), c.managedCertificateId(), c.version(),
                c.fingerprintSha256(), c.cause(), c.reference(), c.startedAt(), c.deadline(),
                endpoints.getOrDefault(c.id(), List.of()))).toList();
    }

    private static Confirmation confirmation(ResultSet rs, int n) throws SQLException {
        return new Confirmation(rs.getString("id"), rs.getString("managed_certificate_id"), rs.getInt("version"),
                rs.getString("fingerprint_sha256"), rs.getString("cause"), rs.getString("reference"),
                rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("deadline").toInstant(), List.of());
    }

    private static Endpoint endpoint(ResultSet rs) throws SQLException {
        String sni = rs.getString("sni");
        String status = rs.getString("last_status");
        Timestamp concluded = rs.getTimestamp("concluded_at");
        return new Endpoint(rs.getString("target_id"), rs.getString("host"), rs.getInt("port"),
                sni.isEmpty() ? null : sni, State.parse(rs.getString("state")), rs.getInt("attempts"),
                status == null ? null : ProbeStatus.parse(status), rs.getObject("served_version", Integer.class),
                concluded == null ? null : concluded.toInstant());
    }
}
