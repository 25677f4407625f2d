package dev.certplane.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SerialsTest {

    @Test
    void serialsArePositiveBoundedAndDistinct() {
        Set<BigInteger> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            BigInteger serial = Serials.random();
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isBetween(64, 127);
            // Top bit cleared: the DER INTEGER never needs a padding octet, so it fits in 16.
            assertThat(serial.toByteArray()).hasSizeLessThanOrEqualTo(16);
            assertThat(seen.add(serial)).as("serial %s repeated", serial).isTrue();
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void serialsUseTheWholeRange() {
        // With 127 random bits, a thousand draws essentially always include one above 2^126 and one below.
        BigInteger half = BigInteger.ONE.shiftLeft(126);
        boolean above = false;
        boolean below = false;
        for (int i = 0; i < 1000; i++) {
            BigInteger serial = Serials.random();
            above |= serial.compareTo(half) >= 0;
            below |= serial.compareTo(half) < 0;
        }
        assertThat(above).isTrue();
        assertThat(below).isTrue();
    }

    @Test
    void randomSerialsPassTheLinter() {
        CertificateSpec spec = Fixtures.leafSpec().serial(Serials.random()).build();
        assertThat(CertificateLinter.lint(spec, Fixtures.INTERMEDIATE)).isEmpty();
    }
}
