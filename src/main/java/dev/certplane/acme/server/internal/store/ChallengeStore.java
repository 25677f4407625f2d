package dev.certplane.acme.server.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Owns {@code acme_challenges} and the authorization columns validation moves. Every transition is a
 * compare-and-set on the expected state, so a challenge is chosen once, validated by one replica at a time,
 * and its outcome recorded once.
 */
@Repository
public class ChallengeStore {

    private final JdbcClient jdbc;

    ChallengeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param error the problem document as JSON, when invalid */
    public record ChallengeRow(String id, String authorizationId, String type, String token, String status,
            @Nullable String error, @Nullable Instant validatedAt, int attempts) {
    }

    public void insert(List<ChallengeRow> challenges, Instant now) {
        for (ChallengeRow c : challenges) {
            jdbc.sql("""
                    insert into acme_challenges (id, authorization_id, type, token, status, updated_at)
                    values (:id, :authorization, :type, :token, :status, :now)
                    """)
                    .param("id", c.id()).param("authorization", c.authorizationId()).param("type", c.type())
                    .param("token", c.token()).param("status", c.status()).param("now", Timestamp.from(now)).update();
        }
    }

    public Optional<ChallengeRow> find(String id) {
        return jdbc.sql("select * from acme_challenges where id = :id").param("id", id).query(ChallengeStore::map)
                .optional();
    }

    public List<ChallengeRow> ofAuthorization(String authorizationId) {
        return jdbc.sql("select * from acme_challenges where authorization_id = :a order by type")
                .param("a", authorizationId).query(ChallengeStore::map).list();
    }

    /** Compare-and-set: the client answers this challenge, unless it answered another one of the authorization. */
    public boolean start(String authorizationId, String challengeId, Instant now) {
        boolean chosen = jdbc.sql("""
                update acme_authorizations set challenge_id = :c, updated_at = :t
                where id = :a and status = 'pending' and challenge_id is null
                """).param("c", challengeId).param("t", Timestamp.from(now)).param("a", authorizationId).update() == 1;
        return chosen && jdbc.sql("""
                update acme_challenges set status = 'processing', triggered_at = :t, updated_at = :t
                where id = :id and status = 'pending'
                """).param("t", Timestamp.from(now)).param("id", challengeId).update() == 1;
    }

    /**
     * Compare-and-set: this replica validates the challenge until {@code leaseUntil}, unless another one holds an
     * unexpired lease or the outcome is already recorded.
     */
    public boolean claim(String id, Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                update acme_challenges set lease_until = :l, attempts = attempts + 1, updated_at = :now
                where id = :id and status = 'processing' and (lease_until is null or lease_until < :now)
                """).param("l", Timestamp.from(leaseUntil)).param("now", Timestamp.from(now)).param("id", id)
                .update() == 1;
    }

    /**
     * Compare-and-set: records the outcome on the challenge and its authorization (RFC 8555 7.1.6: a valid
     * challenge makes the authorization valid, an invalid one invalid).
     *
     * @return false if the outcome was already recorded
     */
    public boolean settle(String id, String authorizationId, boolean valid, @Nullable String errorJson, Instant now) {
        String status = valid ? "valid" : "invalid";
        boolean recorded = jdbc.sql("""
                update acme_challenges set status = :s, error = :e, validated_at = :v, lease_until = null,
                       updated_at = :now
                where id = :id and status = 'processing'
                """).param("s", status).param("e", errorJson).param("v", valid ? Timestamp.from(now) : null)
                .param("now", Timestamp.from(now)).param("id", id).update() == 1;
        if (recorded) {
            jdbc.sql("update acme_authorizations set status = :s, updated_at = :now where id = :a and status = 'pending'")
                    .param("s", status).param("now", Timestamp.from(now)).param("a", authorizationId).update();
        }
        return recorded;
    }

    /**
     * Challenges in processing that no replica is validating: never claimed since {@code unclaimedBefore} (the
     * replica that accepted the answer stopped before starting), or whose lease ran out before {@code now}.
     */
    public List<String> abandoned(Instant now, Instant unclaimedBefore, int limit) {
        return jdbc.sql("""
                select id from acme_challenges
                where status = 'processing'
                  and ((lease_until is null and triggered_at < :u) or lease_until < :now)
                order by triggered_at
                limit :limit
                """).param("u", Timestamp.from(unclaimedBefore)).param("now", Timestamp.from(now)).param("limit", limit)
                .query(String.class).list();
    }

    private static ChallengeRow map(ResultSet rs, int row) throws SQLException {
        Timestamp validated = rs.getTimestamp("validated_at");
        return new ChallengeRow(rs.getString("id"), rs.getString("authorization_id"), rs.getString("type"),
                rs.getString("token"), rs.getString("status"), rs.getString("error"),
                validated == null ? null : validated.toInstant(), rs.getInt("attempts"));
    }
}
