package dev.certplane.ca.internal.store;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Owns {@code ca_issued_certificates}: the intent (serial, subject, names, validity) is committed before
 * the signature exists, then completed. A row left at {@code intent} means the signature was never
 * produced or never left the process.
 */
@Repository
public class IssuedCertificateStore {

    private final JdbcClient jdbc;

    IssuedCertificateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Intent(String serial, String authorityId, String profile, String subject, String names,
            Instant notBefore, Instant notAfter, Instant createdAt) {
    }

    public void recordIntent(Intent i) {
        jdbc.sql("""
                insert into ca_issued_certificates (serial, authority_id, status, profile, subject, names, not_before,
                                                    not_after, created_at)
                values (:serial, :authority, 'intent', :profile, :subject, :names, :nb, :na, :created)
                """)
                .param("serial", i.serial()).param("authority", i.authorityId()).param("profile", i.profile())
                .param("subject", i.subject()).param("names", i.names()).param("nb", Timestamp.from(i.notBefore()))
                .param("na", Timestamp.from(i.notAfter())).param("created", Timestamp.from(i.createdAt()))
                .update();
    }

    /** @return false if the intent was no longer open (abandoned by recovery meanwhile) */
    public boolean complete(String serial, String certificatePem, String fingerprint, Instant issuedAt) {
        return jdbc.sql("""
                update ca_issued_certificates set status = 'issued', certificate_pem = :pem,
                       fingerprint_sha256 = :fp, issued_at = :t
                where serial = :serial and status = 'intent'
                """)
                .param("pem", certificatePem).param("fp", fingerprint).param("t", Timestamp.from(issuedAt))
                .param("serial", serial).update() == 1;
    }

    /** @return false if no issued, unrevoked certificate has that serial */
    public boolean revoke(String serial, int reasonCode, Instant revokedAt) {
        return jdbc.sql("""
                update ca_issued_certificates set revoked_at = :t, revocation_reason = :reason
                where serial = :serial and status = 'issued' and revoked_at is null
                """)
                .param("t", Timestamp.from(revokedAt)).param("reason", reasonCode).param("serial", serial).update() == 1;
    }

    /** Closes intents a crash left open; their certificates, if signed at all, never left the process. */
    public int abandonOpenIntentsBefore(Instant cutoff) {
        return jdbc.sql("update ca_issued_certificates set status = 'abandoned' where status = 'intent' and created_at < :c")
                .param("c", Timestamp.from(cutoff)).update();
    }
}
