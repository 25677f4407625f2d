package dev.certplane.acme.server.internal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.Base64Url;
import dev.certplane.acme.protocol.ProblemType;
import dev.certplane.acme.server.internal.store.NonceStore;
import dev.certplane.pki.Providers;
import dev.certplane.secrets.SecretBox;

import org.springframework.stereotype.Component;

/**
 * Replay nonces (RFC 8555 6.5). A nonce is its expiry, 96 random bits and an HMAC over both under a key
 * derived from the master key, so every replica can check one another's nonces and issuing one costs no
 * database write; spending one inserts it into {@code acme_spent_nonces}, whose primary key lets it be
 * spent once, on any replica, across restarts. Spent rows are forgotten once they would have expired.
 */
@Component
class Nonces {

    private static final int RANDOM_BYTES = 12;
    private static final int MAC_BYTES = 16;

    private final SecretKeySpec key;
    private final NonceStore store;
    private final AcmeSettings settings;
    private final Clock clock;
    /** A Mac per thread: looking one up and keying it costs more than computing the tag. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    Nonces(SecretBox secrets, NonceStore store, AcmeSettings settings, Clock clock) {
        this.key = new SecretKeySpec(secrets.deriveKey("acme-nonce"), "HmacSHA256");
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    String issue() {
        ByteBuffer token = ByteBuffer.allocate(Long.BYTES + RANDOM_BYTES + MAC_BYTES);
        token.putLong(clock.instant().plus(settings.nonceLifetime()).getEpochSecond());
        byte[] random = new byte[RANDOM_BYTES];
        Providers.RANDOM.nextBytes(random);
        token.put(random);
        token.put(mac(token.array(), Long.BYTES + RANDOM_BYTES));
        return Base64Url.encode(token.array());
    }

    /** @throws AcmeProblem {@code badNonce} saying whether the nonce is unknown, expired or already used */
    void spend(String nonce) {
        byte[] token;
        try {
            token = Base64Url.decode(nonce, "nonce");
        } catch (AcmeProblem e) {
            throw badNonce("the nonce is not one this server issued");
        }
        if (token.length != Long.BYTES + RANDOM_BYTES + MAC_BYTES
                || !MessageDigest.isEqual(mac(token, Long.BYTES + RANDOM_BYTES),
                        Arrays.copyOfRange(token, Long.BYTES + RANDOM_BYTES, token.length))) {
            throw badNonce("the nonce is not one this server issued");
        }
        Instant expires = Instant.ofEpochSecond(ByteBuffer.wrap(token).getLong());
        if (!clock.instant().isBefore(expires)) {
            throw badNonce("the nonce has expired; use the fresh one in this response's Replay-Nonce header");
        }
        if (!store.spend(nonce, expires)) {
            throw badNonce("the nonce was already used; use the fresh one in this response's Replay-Nonce header");
        }
    }

    private byte[] mac(byte[] data, int length) {
        Mac mac = macs.get();
        mac.update(data, 0, length);
        return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static AcmeProblem badNonce(String detail) {
        return AcmeProblem.of(ProblemType.BAD_NONCE, detail);
    }
}
