package dev.certplane.secrets.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import dev.certplane.support.CertplaneIT;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@CertplaneIT
class KeyCheckStoreIT {

    @Autowired
    KeyCheckStore checks;

    /** What a replica that lost the first-start race sees: its insert is refused, not a start-up failure. */
    @Test
    void aSecondKeyCheckIsRefusedAndTheFirstStands() {
        String first = checks.find().orElseThrow();

        assertThat(checks.insert("v1.another-replicas-check", Instant.EPOCH)).isFalse();
        assertThat(checks.find()).contains(first);
    }
}
