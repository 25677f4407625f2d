package dev.certplane.acme.client.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Owns {@code acme_client_workflows}, their steps and the HTTP-01 answers they publish. A workflow is advanced
 * only by the replica holding its lease, taken by compare-and-set.
 */
@Repository
public class WorkflowStore {

    private final JdbcClient jdbc;

    WorkflowStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param identifiers JSON: the identifiers and the challenge type chosen for each
     * @param published JSON: what was published for the CA to see (DNS records, HTTP tokens), for cleanup
     */
    /**
     * @param managedCertificateId the managed certificate that gets the result, or null for an upstream order
     * @param csr base64 DER of the client's CSR for an upstream order (the client keeps its key); null otherwise
     * @param reference for an upstream order, the ACME server order it serves ({@code acme-order:<id>})
     * @param replaces the RFC 9773 identifier of the certificate this order renews, sent as {@code replaces}
     * @param ariCertificateId the RFC 9773 identifier of the certificate obtained, once downloaded
     * @param ariWindowStart the CA's suggested renewal window for it, when the CA offers renewal information
     */
    public record WorkflowRow(String id, String issuerId, @Nullable String managedCertificateId, String identifiers,
            @Nullable String dnsProviderId, String state, String status, @Nullable String orderUrl,
            @Nullable String certificateKeySealed, String published, int attempts, Instant nextRunAt,
            @Nullable String lastError, @Nullable Integer version, @Nullable String csr, @Nullable String reference,
            @Nullable String replaces, @Nullable String ariCertificateId, @Nullable Instant ariWindowStart,
            @Nullable Instant ariWindowEnd, Instant createdAt, Instant updatedAt) {
    }

    public record StepRow(int seq, Instant at, String step, String outcome, String detail) {
    }

    public void insert(WorkflowRow row) {
        jdbc.sql("""
                insert into acme_client_workflows (id, issuer_id, managed_certificate_id, identifiers, dns_provider_id,
                    state, status, order_url, certificate_key_sealed, published, attempts, next_run_at, last_error,
                    version, csr, reference, replaces, created_at, updated_at)
                values (:id, :issuer, :managed, :identifiers, :dns, :state, :status, :order, :key, :published,
                    :attempts, :next, :error, :version, :csr, :reference, :replaces, :created, :updated)
                """)
                .param("replaces", row.replaces())
                .param("csr", row.csr()).param("reference", row.reference())
                .param("id", row.id()).param("issuer", row.issuerId()).param("managed", row.managedCertificateId())
                .param("identifiers", row.identifiers()).param("dns", row.dnsProviderId()).param("state", row.state())
                .param("status", row.status()).param("order", row.orderUrl()).param("key", row.certificateKeySealed())
                .param("published", row.published()).param("attempts", row.attempts())
                .param("next", Timestamp.from(row.nextRunAt())).param("error", row.lastError())
                .param("version", row.version()).param("created", Timestamp.from(row.createdAt()))
                .param("updated", Timestamp.from(row.updatedAt())).update();
    }

    /** Saves what a step changed; only the lease holder calls this. Renewal information has its own update. */
    public void update(WorkflowRow row) {
        jdbc.sql("""
                update acme_client_workflows set state = :state, status = :status, order_url = :order,
                    certificate_key_sealed = :key, published = :published, attempts = :attempts, next_run_at = :next,
                    last_error = :error, version = :version, updated_at = :updated
                where id = :id
                """)
                .param("state", row.state()).param("status", row.status()).param("order", row.orderUrl())
                .param("key", row.certificateKeySealed()).param("published", row.published())
                .param("attempts", row.attempts()).param("next", Timestamp.from(row.nextRunAt()))
                .param("error", row.lastError()).param("version", row.version())
                .param("updated", Timestamp.from(row.updatedAt())).param("id", row.id()).update();
    }

    public Optional<WorkflowRow> find(String id) {
        return jdbc.sql("select * from acme_client_workflows where id = :id").param("id", id)
                .query(WorkflowStore::map).optional();
    }

    public List<WorkflowRow> latest(int limit) {
        return jdbc.sql("select * from acme_client_workflows order by created_at desc, id limit :l").param("l", limit)
                .query(WorkflowStore::map).list();
    }

    /** Running workflows whose next step is due and that no replica holds. */
    public List<String> due(Instant now, int limit) {
        return jdbc.sql("""
                select id from acme_client_workflows
                where status = 'running' and next_run_at <= :now and (lease_until is null or lease_until < :now)
                order by next_run_at limit :l
                """).param("now", Timestamp.from(now)).param("l", limit).query(String.class).list();
    }

    /** Compare-and-set: this replica advances the workflow until {@code until}. */
    public boolean lease(String id, Instant now, Instant until) {
        return jdbc.sql("""
                update acme_client_workflows set lease_until = :until
                where id = :id and status = 'running' and (lease_until is null or lease_until < :now)
                """).param("until", Timestamp.from(until)).param("now", Timestamp.from(now)).param("id", id)
                .update() == 1;
    }

    public void recordRenewalInfo(String id, String certificateId, @Nullable Instant windowStart,
            @Nullable Instant windowEnd) {
        jdbc.sql("""
                update acme_client_workflows set ari_certificate_id = :c, ari_window_start = :s, ari_window_end = :e
                where id = :id
                """).param("c", certificateId).param("s", timestamp(windowStart)).param("e", timestamp(windowEnd))
                .param("id", id).update();
    }

    public void release(String id) {
        jdbc.sql("update acme_client_workflows set lease_until = null where id = :id").param("id", id).update();
    }

    public void addStep(String workflowId, Instant at, String step, String outcome, String detail) {
        int seq = jdbc.sql("select coalesce(max(seq), 0) + 1 from acme_client_workflow_steps where workflow_id = :w")
                .param("w", workflowId).query(Integer.class).single();
        jdbc.sql("""
                insert into acme_client_workflow_steps (workflow_id, seq, at, step, outcome, detail)
                values (:w, :seq, :at, :step, :outcome, :detail)
                """).param("w", workflowId).param("seq", seq).param("at", Timestamp.from(at)).param("step", step)
                .param("outcome", outcome).param("detail", detail.length() > 4000 ? detail.substring(0, 3999) + "…" : detail)
                .update();
    }

    /** The detail of each workflow's latest step, in one query for a page of workflows. */
    public Map<String, String> lastStepDetails(Collection<String> workflowIds) {
        if (workflowIds.isEmpty()) {
            return Map.of();
        }
        Map<String, String> details = new HashMap<>();
        jdbc.sql("""
                select s.workflow_id, s.detail from acme_client_workflow_steps s
                join (select workflow_id, max(seq) as seq from acme_client_workflow_steps
                      where workflow_id in (:ids) group by workflow_id) latest
                  on latest.workflow_id = s.workflow_id and latest.seq = s.seq
                """).param("ids", workflowIds)
                .query((RowCallbackHandler) rs -> details.put(rs.getString("workflow_id"), rs.getString("detail")));
        return details;
    }

    public List<StepRow> steps(String workflowId) {
        return jdbc.sql("select * from acme_client_workflow_steps where workflow_id = :w order by seq")
                .param("w", workflowId).query((rs, n) -> new StepRow(rs.getInt("seq"), rs.getTimestamp("at").toInstant(),
                        rs.getString("step"), rs.getString("outcome"), rs.getString("detail"))).list();
    }

    public void putHttpToken(String token, String keyAuthorization, String workflowId, Instant now) {
        jdbc.sql("delete from acme_client_http_tokens where token = :t").param("t", token).update();
        jdbc.sql("""
                insert into acme_client_http_tokens (token, key_authorization, workflow_id, created_at)
                values (:t, :k, :w, :now)
                """).param("t", token).param("k", keyAuthorization).param("w", workflowId)
                .param("now", Timestamp.from(now)).update();
    }

    public Optional<String> httpAnswer(String token) {
        return jdbc.sql("select key_authorization from acme_client_http_tokens where token = :t").param("t", token)
                .query(String.class).optional();
    }

    public void removeHttpTokens(String workflowId) {
        jdbc.sql("delete from acme_client_http_tokens where workflow_id = :w").param("w", workflowId).update();
    }

    /** The identifier of the certificate the managed certificate's latest successful workflow at this issuer obtained. */
    public Optional<String> lastCertificateId(String managedCertificateId, String issuerId) {
        return jdbc.sql("""
                select ari_certificate_id from acme_client_workflows
                where managed_certificate_id = :m and issuer_id = :i and status = 'succeeded'
                  and ari_certificate_id is not null
                order by created_at desc limit 1
                """).param("m", managedCertificateId).param("i", issuerId).query(String.class).optional();
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static WorkflowRow map(ResultSet rs, int n) throws SQLException {
        int version = rs.getInt("version");
        boolean noVersion = rs.wasNull();
        return new WorkflowRow(rs.getString("id"), rs.getString("issuer_id"), rs.getString("managed_certificate_id"),
                rs.getString("identifiers"), rs.getString("dns_provider_id"), rs.getString("state"),
                rs.getString("status"), rs.getString("order_url"), rs.getString("certificate_key_sealed"),
                rs.getString("published"), rs.getInt("attempts"), rs.getTimestamp("next_run_at").toInstant(),
                rs.getString("last_error"), noVersion ? null : version, rs.getString("csr"), rs.getString("reference"),
                rs.getString("replaces"), rs.getString("ari_certificate_id"), instant(rs, "ari_window_start"),
                instant(rs, "ari_window_end"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
