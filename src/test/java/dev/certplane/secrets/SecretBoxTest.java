package dev.certplane.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final byte[] KEY = filled(7);
    private static final byte[] SECRET = "-----BEGIN PRIVATE KEY-----".getBytes(StandardCharsets.UTF_8);

    @Test
    void sealedValuesOpenWithTheSameKeyAndPurpose() {
        SecretBox box = new SecretBox(KEY);
        String sealed = box.seal(SECRET, "ca.key:1");

        assertThat(sealed).startsWith("v1.").doesNotContain("PRIVATE");
        assertThat(box.open(sealed, "ca.key:1")).isEqualTo(SECRET);
    }

    @Test
    void theSameSecretSealsDifferentlyEachTime() {
        SecretBox box = new SecretBox(KEY);
        assertThat(box.seal(SECRET, "p")).isNotEqualTo(box.seal(SECRET, "p"));
    }

    @Test
    void aWrongKeyCannotOpen() {
        String sealed = new SecretBox(KEY).seal(SECRET, "ca.key:1");

        assertThatThrownBy(() -> new SecretBox(filled(8)).open(sealed, "ca.key:1"))
                .isInstanceOf(SecretUnreadableException.class)
                .hasMessageContaining("cannot be decrypted with this master key");
    }

    @Test
    void aCiphertextMovedToAnotherRowCannotOpen() {
        SecretBox box = new SecretBox(KEY);
        String sealed = box.seal(SECRET, "ca.key:1");

        assertThatThrownBy(() -> box.open(sealed, "ca.key:2")).isInstanceOf(SecretUnreadableException.class);
    }

    @Test
    void alteredOrTruncatedValuesAreRefused() {
        SecretBox box = new SecretBox(KEY);
        String sealed = box.seal(SECRET, "p");
        byte[] raw = java.util.Base64.getUrlDecoder().decode(sealed.substring(3));
        raw[raw.length / 2] ^= 1;
        String flipped = "v1." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);

        assertThatThrownBy(() -> box.open(flipped, "p")).isInstanceOf(SecretUnreadableException.class);
        assertThatThrownBy(() -> box.open("v1.AAAA", "p")).hasMessageContaining("truncated");
        assertThatThrownBy(() -> box.open("v1.!!!", "p")).hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> box.open("plain", "p")).hasMessageContaining("unknown secret format");
    }

    @Test
    void privateKeysRoundTripSealedAndBoundToTheirPurpose() {
        SecretBox box = new SecretBox(KEY);
        java.security.PrivateKey key = dev.certplane.pki.KeyType.EC_P256.generate().getPrivate();
        String sealed = box.sealPrivateKey(key, "tls.server-key:1");

        assertThat(box.openPrivateKey(sealed, "tls.server-key:1").getEncoded()).isEqualTo(key.getEncoded());
        assertThatThrownBy(() -> box.openPrivateKey(sealed, "ca.key:1")).isInstanceOf(SecretUnreadableException.class);
    }

    @Test
    void onlyA256BitKeyIsAccepted() {
        assertThatThrownBy(() -> new SecretBox(new byte[16])).hasMessageContaining("32 bytes");
    }

    @Test
    void derivedKeysDifferByPurposeAndNeverEqualTheMasterKey() {
        SecretBox box = new SecretBox(KEY);
        assertThat(box.deriveKey("audit-chain")).isNotEqualTo(box.deriveKey("other")).isNotEqualTo(KEY).hasSize(32);
        assertThat(box.toString()).doesNotContain(Arrays.toString(KEY));
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
