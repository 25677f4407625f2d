package dev.certplane.tls.internal.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code tls_server_certificates}; the newest row is the certificate every replica serves. */
@Repository
public class ServerCertificateStore {

    private final JdbcClient jdbc;

    ServerCertificateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Row(String id, String serial, String names, String chainPem, String keyCiphertext, Instant notBefore,
            Instant notAfter, Instant createdAt) {
    }

    public void insert(Row r) {
        jdbc.sql("""
                insert into tls_server_certificates (id, serial, names, chain_pem, key_ciphertext, not_before, not_after,
                                                     created_at)
                values (:id, :serial, :names, :chain, :key, :nb, :na, :created)
                """)
                .param("id", r.id()).param("serial", r.serial()).param("names", r.names()).param("chain", r.chainPem())
                .param("key", r.keyCiphertext()).param("nb", Timestamp.from(r.notBefore()))
                .param("na", Timestamp.from(r.notAfter())).param("created", Timestamp.from(r.createdAt()))
                .update();
    }

    public Optional<Row> latest() {
        return jdbc.sql("select * from tls_server_certificates order by created_at desc, id desc limit 1")
                .query((rs, n) -> new Row(rs.getString("id"), rs.getString("serial"), rs.getString("names"),
                        rs.getString("chain_pem"), rs.getString("key_ciphertext"),
                        rs.getTimestamp("not_before").toInstant(), rs.getTimestamp("not_after").toInstant(),
                        rs.getTimestamp("created_at").toInstant()))
                .optional();
    }
}
