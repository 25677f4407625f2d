package dev.certplane.acme.server.internal.store;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owns {@code acme_spent_nonces}: the primary key makes spending a nonce a single atomic insert. */
@Repository
public class NonceStore {

    private final JdbcClient jdbc;

    NonceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false if the nonce was already spent, by this replica or any other */
    public boolean spend(String nonce, Instant expiresAt) {
        try {
            return jdbc.sql("insert into acme_spent_nonces (nonce, expires_at) values (:n, :e)").param("n", nonce)
                    .param("e", Timestamp.from(expiresAt)).update() == 1;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public int forgetExpiredBefore(Instant cutoff) {
        return jdbc.sql("delete from acme_spent_nonces where expires_at < :c").param("c", Timestamp.from(cutoff))
                .update();
    }
}
