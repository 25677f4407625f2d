package dev.certplane.acme.server.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Owns {@code acme_orders} and {@code acme_authorizations}. Finalization moves {@code progress} only by
 * compare-and-set, so concurrent finalize calls cannot both issue.
 */
@Repository
public class OrderStore {

    private final JdbcClient jdbc;

    OrderStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param identifiers the order's identifiers as stored JSON
     * @param renewalAttemptId the renewal attempt that holds the order for change approval, if it was held
     */
    public record OrderRow(String id, String accountId, String profile, String progress, String identifiers,
            @Nullable Instant notBefore, @Nullable Instant notAfter, Instant expires, @Nullable String replaces,
            @Nullable String csrSha256, @Nullable String error, @Nullable String certificateId, Instant createdAt,
            @Nullable String renewalAttemptId) {

        /** Finalized, and waiting for its change to be decided (or, once approved, to be issued). */
        public boolean held() {
            return renewalAttemptId != null && progress.equals("processing");
        }
    }

    public record AuthorizationRow(String id, String orderId, String accountId, String identifierType,
            String identifierValue, boolean wildcard, String status, Instant expires) {
    }

    public void insert(OrderRow order, List<AuthorizationRow> authorizations) {
        jdbc.sql("""
                insert into acme_orders (id, account_id, profile, progress, identifiers, not_before, not_after, expires,
                                         replaces, created_at)
                values (:id, :account, :profile, :progress, :identifiers, :nb, :na, :expires, :replaces, :created)
                """)
                .param("id", order.id()).param("account", order.accountId()).param("profile", order.profile())
                .param("progress", order.progress()).param("identifiers", order.identifiers())
                .param("nb", timestamp(order.notBefore())).param("na", timestamp(order.notAfter()))
                .param("expires", Timestamp.from(order.expires())).param("replaces", order.replaces())
                .param("created", Timestamp.from(order.createdAt())).update();
        for (AuthorizationRow a : authorizations) {
            jdbc.sql("""
                    insert into acme_authorizations (id, order_id, account_id, identifier_type, identifier_value,
                                                     wildcard, status, expires, updated_at)
                    values (:id, :order, :account, :type, :value, :wildcard, :status, :expires, :updated)
                    """)
                    .param("id", a.id()).param("order", a.orderId()).param("account", a.accountId())
                    .param("type", a.identifierType()).param("value", a.identifierValue())
                    .param("wildcard", a.wildcard()).param("status", a.status())
                    .param("expires", Timestamp.from(a.expires())).param("updated", Timestamp.from(order.createdAt()))
                    .update();
        }
    }

    public Optional<OrderRow> find(String id) {
        return jdbc.sql("select * from acme_orders where id = :id").param("id", id).query(OrderStore::mapOrder)
                .optional();
    }

    public List<AuthorizationRow> authorizationsOf(String orderId) {
        return jdbc.sql("select * from acme_authorizations where order_id = :o order by id").param("o", orderId)
                .query(OrderStore::mapAuthorization).list();
    }

    public Optional<AuthorizationRow> findAuthorization(String id) {
        return jdbc.sql("select * from acme_authorizations where id = :id").param("id", id)
                .query(OrderStore::mapAuthorization).optional();
    }

    public boolean deactivateAuthorization(String id, Instant now) {
        return jdbc.sql("""
                update acme_authorizations set status = 'deactivated', updated_at = :t
                where id = :id and status in ('pending', 'valid')
                """).param("t", Timestamp.from(now)).param("id", id).update() == 1;
    }

    /** Compare-and-set {@code none -> processing}; false if another request finalized first. */
    public boolean startFinalizing(String id, String csrSha256, Instant now) {
        return jdbc.sql("""
                update acme_orders set progress = 'processing', csr_sha256 = :csr, finalized_at = :t
                where id = :id and progress = 'none'
                """).param("csr", csrSha256).param("t", Timestamp.from(now)).param("id", id).update() == 1;
    }

    /** Notes the external CA's workflow that issues for this order (upstream delivery). */
    public boolean setUpstream(String id, String workflowId) {
        return jdbc.sql("update acme_orders set upstream_workflow_id = :w where id = :id and progress = 'processing'")
                .param("w", workflowId).param("id", id).update() == 1;
    }

    /**
     * Holds a processing order for change approval: keeps the CSR (base64url DER) and the renewal attempt that
     * holds it, so that nothing is lost if the server restarts while it waits.
     */
    public boolean hold(String id, String csr, String renewalAttemptId) {
        return jdbc.sql("""
                update acme_orders set held_csr = :csr, renewal_attempt_id = :attempt
                where id = :id and progress = 'processing'
                """).param("csr", csr).param("attempt", renewalAttemptId).param("id", id).update() == 1;
    }

    /** The CSR (base64url DER) of a held order that has not ended yet. */
    public Optional<String> heldCsr(String id) {
        return jdbc.sql("select held_csr from acme_orders where id = :id and progress = 'processing'"
                + " and held_csr is not null").param("id", id).query(String.class).optional();
    }

    /** Compare-and-set {@code processing -> issued}; false if the order ended otherwise first. */
    public boolean markIssued(String id, String certificateId) {
        return jdbc.sql("""
                update acme_orders set progress = 'issued', certificate_id = :c, held_csr = null
                where id = :id and progress = 'processing'
                """).param("c", certificateId).param("id", id).update() == 1;
    }

    /** Compare-and-set {@code processing -> failed}; false if the order ended otherwise first. */
    public boolean markFailed(String id, String errorJson) {
        return jdbc.sql("""
                update acme_orders set progress = 'failed', error = :e, held_csr = null
                where id = :id and progress = 'processing'
                """).param("e", errorJson).param("id", id).update() == 1;
    }

    /**
     * Orders whose finalization started before {@code cutoff} and never finished: a crash interrupted them. Orders
     * issued upstream are left to their workflow, which always ends, with a certificate or an error; held orders
     * wait for their change decision, or their expiry ({@link #heldAndExpired}).
     */
    public List<String> stuckInProcessingSince(Instant cutoff, int limit) {
        return jdbc.sql("""
                select id from acme_orders
                where progress = 'processing' and finalized_at < :c and upstream_workflow_id is null
                  and renewal_attempt_id is null
                limit :l
                """)
                .param("c", Timestamp.from(cutoff)).param("l", limit).query(String.class).list();
    }

    /** Held orders (not sent upstream) still processing when they expired: no decision came in time. */
    public List<OrderRow> heldAndExpired(Instant now, int limit) {
        return jdbc.sql("""
                select * from acme_orders
                where progress = 'processing' and renewal_attempt_id is not null and upstream_workflow_id is null
                  and expires <= :now
                limit :l
                """)
                .param("now", Timestamp.from(now)).param("l", limit).query(OrderStore::mapOrder).list();
    }

    /**
     * One page of an account's orders that can still be, or have been, completed, oldest first (RFC 8555
     * 7.1.2.1 lists pending and valid orders, not invalid ones).
     */
    public List<OrderRow> listForAccount(String accountId, Instant now, @Nullable Instant afterCreated,
            @Nullable String afterId, int limit) {
        return jdbc.sql("""
                select * from acme_orders
                where account_id = :a
                  and (progress = 'issued' or (progress in ('none', 'processing') and expires > :now))
                  and (cast(:afterCreated as timestamp with time zone) is null or created_at > :afterCreated
                       or (created_at = :afterCreated and id > :afterId))
                order by created_at, id
                limit :limit
                """)
                .param("a", accountId).param("now", Timestamp.from(now)).param("afterCreated", timestamp(afterCreated))
                .param("afterId", afterId == null ? "" : afterId).param("limit", limit).query(OrderStore::mapOrder)
                .list();
    }

    /** True if an order that has not failed already replaces that certificate (RFC 9773 5). */
    public boolean replacementExists(String certificateId) {
        return jdbc.sql("select count(*) from acme_orders where replaces = :r and progress <> 'failed'")
                .param("r", certificateId).query(Long.class).single() > 0;
    }

    /** The newest orders of every account and profile, for operators. */
    public List<OrderRow> newest(int limit) {
        return jdbc.sql("select * from acme_orders order by created_at desc, id desc limit :l").param("l", limit)
                .query(OrderStore::mapOrder).list();
    }

    /** The authorizations of those orders, in one query. */
    public List<AuthorizationRow> authorizationsOf(Collection<String> orderIds) {
        if (orderIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select * from acme_authorizations where order_id in (:o) order by id").param("o", orderIds)
                .query(OrderStore::mapAuthorization).list();
    }

    /** When the client asked to finalize the order, if it did. */
    public Optional<Instant> finalizedAt(String id) {
        return jdbc.sql("select finalized_at from acme_orders where id = :id and finalized_at is not null")
                .param("id", id).query((rs, n) -> rs.getTimestamp(1).toInstant()).optional();
    }

    /** How many orders each of those accounts placed (accounts without orders are absent). */
    public Map<String, Long> countByAccount(Collection<String> accountIds) {
        if (accountIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("select account_id, count(*) from acme_orders where account_id in (:a) group by account_id")
                .param("a", accountIds).query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static OrderRow mapOrder(ResultSet rs, int row) throws SQLException {
        return new OrderRow(rs.getString("id"), rs.getString("account_id"), rs.getString("profile"),
                rs.getString("progress"), rs.getString("identifiers"), instant(rs, "not_before"),
                instant(rs, "not_after"), rs.getTimestamp("expires").toInstant(), rs.getString("replaces"),
                rs.getString("csr_sha256"), rs.getString("error"), rs.getString("certificate_id"),
                rs.getTimestamp("created_at").toInstant(), rs.getString("renewal_attempt_id"));
    }

    private static AuthorizationRow mapAuthorization(ResultSet rs, int row) throws SQLException {
        return new AuthorizationRow(rs.getString("id"), rs.getString("order_id"), rs.getString("account_id"),
                rs.getString("identifier_type"), rs.getString("identifier_value"), rs.getBoolean("wildcard"),
                rs.getString("status"), rs.getTimestamp("expires").toInstant());
    }
}
