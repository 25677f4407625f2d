package dev.certplane.secrets.internal.store;

import java.time.Instant;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The single row proving which master key this installation's secrets were sealed with. */
@Repository
public class KeyCheckStore {

    private final JdbcClient jdbc;

    KeyCheckStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<String> find() {
        return jdbc.sql("select ciphertext from secrets_key_check where id = 1").query(String.class).optional();
    }

    /** @return false when another replica stored its check first */
    public boolean insert(String ciphertext, Instant now) {
        try {
            return jdbc.sql("insert into secrets_key_check (id, ciphertext, created_at) values (1, :c, :t)")
                    .param("c", ciphertext).param("t", java.sql.Timestamp.from(now))
                    .update() == 1;
        } catch (DuplicateKeyException anotherReplicaWasFirst) {
            return false;
        }
    }
}
