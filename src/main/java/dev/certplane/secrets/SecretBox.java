package dev.certplane.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.certplane.pki.Pem;

/**
 * Encrypts secrets at rest with the master key: AES-256-GCM, a fresh 96-bit nonce per value, and the
 * value's purpose as associated data. The purpose binds a ciphertext to its row, so a key copied from
 * one row into another no longer decrypts.
 */
public final class SecretBox {

    private static final String VERSION = "v1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretBox(byte[] masterKey) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes, got " + masterKey.length);
        }
        this.key = new SecretKeySpec(masterKey.clone(), "AES");
    }

    /** Encrypts {@code plaintext}; the result is printable text safe for a varchar column. */
    public String seal(byte[] plaintext, String purpose) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * Decrypts a value made by {@link #seal}.
     *
     * @throws SecretUnreadableException when the key or purpose differ, or the value was altered
     */
    public byte[] open(String sealed, String purpose) {
        if (!sealed.startsWith(VERSION)) {
            throw new SecretUnreadableException("unknown secret format for " + purpose);
        }
        byte[] in;
        try {
            in = Base64.getUrlDecoder().decode(sealed.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw new SecretUnreadableException("secret for " + purpose + " is not valid base64");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretUnreadableException("secret for " + purpose + " is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SecretUnreadableException(
                    "secret for " + purpose + " cannot be decrypted with this master key (wrong key or altered value)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** Seals a private key (as PKCS#8 PEM); the only way private keys are written at rest. */
    public String sealPrivateKey(PrivateKey key, String purpose) {
        return seal(Pem.encodePrivateKey(key).getBytes(StandardCharsets.US_ASCII), purpose);
    }

    /** Opens a key sealed by {@link #sealPrivateKey}. */
    public PrivateKey openPrivateKey(String sealed, String purpose) {
        return Pem.decodePrivateKey(new String(open(sealed, purpose), StandardCharsets.US_ASCII));
    }

    /** A key for another purpose (such as the audit chain's HMAC), derived so the master key itself never leaves. */
    public byte[] deriveKey(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(("certplane/" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "SecretBox[key hidden]";
    }

}
