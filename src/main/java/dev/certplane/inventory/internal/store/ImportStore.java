package dev.certplane.inventory.internal.store;

import java.sql.Timestamp;
import java.time.Instant;

import dev.certplane.inventory.Ownership;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Owner, organization and tags of rows in {@code inv_certificates}, set by imports and by operators. */
@Repository
public class ImportStore {

    private final JdbcClient jdbc;

    ImportStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return whether the certificate exists */
    public boolean updateOwnership(String certificateId, Ownership ownership, Instant now) {
        return jdbc.sql("""
                update inv_certificates set owner = :owner, organization = :organization, tags = :tags, updated_at = :now
                where id = :id
                """).param("id", certificateId).param("owner", ownership.owner())
                .param("organization", ownership.organization()).param("tags", String.join("\n", ownership.tags()))
                .param("now", Timestamp.from(now)).update() > 0;
    }
}
