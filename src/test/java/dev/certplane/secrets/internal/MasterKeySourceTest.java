package dev.certplane.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import dev.certplane.secrets.MasterKeyException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeySourceTest {

    @TempDir
    Path dir;

    @Test
    void aFirstStartGeneratesAKeyFileOnlyTheOwnerCanRead() throws Exception {
        Path file = dir.resolve("master.key");
        byte[] key = new MasterKeySource(null, file).load(false);

        assertThat(key).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new MasterKeySource(null, file).load(true)).isEqualTo(key);
    }

    @Test
    void aMissingKeyIsAnErrorOnceSecretsExist() {
        Path file = dir.resolve("master.key");

        assertThatThrownBy(() -> new MasterKeySource(null, file).load(true))
                .isInstanceOf(MasterKeyException.class).hasMessageContaining("no master key");
        assertThat(file).doesNotExist();
    }

    @Test
    void theConfiguredKeyWinsAndMustBe32Bytes() {
        byte[] key = new byte[32];
        key[0] = 1;
        String configured = Base64.getEncoder().encodeToString(key);

        assertThat(new MasterKeySource(configured, dir.resolve("unused")).load(true)).isEqualTo(key);
        assertThatThrownBy(() -> new MasterKeySource("c2hvcnQ=", dir.resolve("unused")).load(false))
                .hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> new MasterKeySource("not base64!", dir.resolve("unused")).load(false))
                .hasMessageContaining("not base64");
    }
}
