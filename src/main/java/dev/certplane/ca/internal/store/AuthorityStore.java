package dev.certplane.ca.internal.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code ca_authorities} and {@code ca_active}. */
@Repository
public class AuthorityStore {

    private final JdbcClient jdbc;

    AuthorityStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record AuthorityRow(String id, String role, String subject, String certificatePem, String keyCiphertext,
            String keyType, String source, Instant notBefore, Instant notAfter, Instant createdAt) {
    }

    public record ActiveRow(String rootId, String issuingId) {
    }

    public void insert(AuthorityRow a) {
        jdbc.sql("""
                insert into ca_authorities (id, role, subject, certificate_pem, key_ciphertext, key_type, source,
                                            not_before, not_after, created_at)
                values (:id, :role, :subject, :pem, :key, :keyType, :source, :nb, :na, :created)
                """)
                .param("id", a.id()).param("role", a.role()).param("subject", a.subject())
                .param("pem", a.certificatePem()).param("key", a.keyCiphertext()).param("keyType", a.keyType())
                .param("source", a.source()).param("nb", Timestamp.from(a.notBefore()))
                .param("na", Timestamp.from(a.notAfter())).param("created", Timestamp.from(a.createdAt()))
                .update();
    }

    /** Fails with a duplicate-key error when another replica activated a CA first. */
    public void activate(String rootId, String issuingId, Instant now) {
        jdbc.sql("insert into ca_active (id, root_id, issuing_id, updated_at) values (1, :root, :issuing, :t)")
                .param("root", rootId).param("issuing", issuingId).param("t", Timestamp.from(now)).update();
    }

    public Optional<ActiveRow> active() {
        return jdbc.sql("select root_id, issuing_id from ca_active where id = 1")
                .query((rs, n) -> new ActiveRow(rs.getString("root_id"), rs.getString("issuing_id"))).optional();
    }

    public AuthorityRow get(String id) {
        return jdbc.sql("select * from ca_authorities where id = :id").param("id", id)
                .query((rs, n) -> new AuthorityRow(rs.getString("id"), rs.getString("role"), rs.getString("subject"),
                        rs.getString("certificate_pem"), rs.getString("key_ciphertext"), rs.getString("key_type"),
                        rs.getString("source"), rs.getTimestamp("not_before").toInstant(),
                        rs.getTimestamp("not_after").toInstant(), rs.getTimestamp("created_at").toInstant()))
                .single();
    }
}
