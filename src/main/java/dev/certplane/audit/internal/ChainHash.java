package dev.certplane.audit.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The link between two audit events: HMAC-SHA256 over the previous hash and every field of the event.
 * Keyed with a key derived from the master key, so someone who can write the database but does not hold
 * the master key cannot forge a consistent chain after altering a row.
 */
final class ChainHash {

    private final byte[] key;

    ChainHash(byte[] key) {
        this.key = key.clone();
    }

    String link(String prevHash, long seq, UUID eventId, Instant occurredAt, String actor, String sourceIp,
            String action, String target, String outcome, String details) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (String field : new String[] {prevHash, Long.toString(seq), eventId.toString(),
                    occurredAt.toString(), actor, sourceIp == null ? "" : sourceIp, action, target, outcome,
                    details}) {
                // Length-prefixed, so moving text from one field to its neighbour changes the hash.
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                mac.update(bytes);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
