package dev.certplane.acme.server.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code acme_certificates}: every certificate issued through ACME, with its parsed metadata. */
@Repository
public class CertificateStore {

    private final JdbcClient jdbc;

    CertificateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param serial lower-case hex; @param names comma-separated SANs */
    public record CertificateRow(String id, String orderId, String accountId, String profile, String issuer,
            String serial, String authorityKeyId, String fingerprintSha256, String subject, String names,
            String keyType, Instant notBefore, Instant notAfter, String chainPem, String rootPem, String status,
            @Nullable Instant revokedAt, @Nullable Integer revocationReason, Instant createdAt) {
    }

    public void insert(CertificateRow c) {
        jdbc.sql("""
                insert into acme_certificates (id, order_id, account_id, profile, issuer, serial, authority_key_id,
                       fingerprint_sha256, subject, names, key_type, not_before, not_after, chain_pem, root_pem, status,
                       created_at)
                values (:id, :order, :account, :profile, :issuer, :serial, :aki, :fp, :subject, :names, :keyType, :nb,
                        :na, :chain, :root, 'valid', :created)
                """)
                .param("id", c.id()).param("order", c.orderId()).param("account", c.accountId())
                .param("profile", c.profile()).param("issuer", c.issuer()).param("serial", c.serial())
                .param("aki", c.authorityKeyId()).param("fp", c.fingerprintSha256()).param("subject", c.subject())
                .param("names", c.names()).param("keyType", c.keyType()).param("nb", Timestamp.from(c.notBefore()))
                .param("na", Timestamp.from(c.notAfter())).param("chain", c.chainPem()).param("root", c.rootPem())
                .param("created", Timestamp.from(c.createdAt())).update();
    }

    public Optional<CertificateRow> find(String id) {
        return jdbc.sql("select * from acme_certificates where id = :id").param("id", id)
                .query(CertificateStore::map).optional();
    }

    public Optional<CertificateRow> findBySerial(String serial) {
        return jdbc.sql("select * from acme_certificates where serial = :s").param("s", serial)
                .query(CertificateStore::map).optional();
    }

    /** Compare-and-set {@code valid -> revoked}; false if it was already revoked. */
    public boolean revoke(String id, int reason, Instant now) {
        return jdbc.sql("""
                update acme_certificates set status = 'revoked', revoked_at = :t, revocation_reason = :r
                where id = :id and status = 'valid'
                """).param("t", Timestamp.from(now)).param("r", reason).param("id", id).update() == 1;
    }

    private static CertificateRow map(ResultSet rs, int row) throws SQLException {
        Timestamp revokedAt = rs.getTimestamp("revoked_at");
        int reason = rs.getInt("revocation_reason");
        Integer revocationReason = rs.wasNull() ? null : reason;
        return new CertificateRow(rs.getString("id"), rs.getString("order_id"), rs.getString("account_id"),
                rs.getString("profile"), rs.getString("issuer"), rs.getString("serial"),
                rs.getString("authority_key_id"), rs.getString("fingerprint_sha256"), rs.getString("subject"),
                rs.getString("names"), rs.getString("key_type"), rs.getTimestamp("not_before").toInstant(),
                rs.getTimestamp("not_after").toInstant(), rs.getString("chain_pem"), rs.getString("root_pem"),
                rs.getString("status"), revokedAt == null ? null : revokedAt.toInstant(), revocationReason,
                rs.getTimestamp("created_at").toInstant());
    }
}
