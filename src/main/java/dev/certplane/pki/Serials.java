package dev.certplane.pki;

import java.math.BigInteger;

/** Certificate serial numbers. */
public final class Serials {

    /** Below this a serial is indistinguishable from a counter; see {@link CertificateLinter}. */
    static final int MIN_BITS = 64;

    private Serials() {
    }

    /**
     * 128 bits from a CSPRNG with the top bit cleared: positive, at most 16 octets, >= 64 bits of
     * entropy (CA/B BR 7.1, RFC 5280 4.1.2.2 max 20 octets). Clearing the top bit keeps the DER
     * INTEGER from needing a leading zero octet, so 127 random bits remain. Draws that come out
     * shorter than 64 bits (probability 2^-63) are repeated so every serial passes the linter.
     */
    public static BigInteger random() {
        byte[] bytes = new byte[16];
        BigInteger serial;
        do {
            Providers.RANDOM.nextBytes(bytes);
            bytes[0] &= 0x7f;
            serial = new BigInteger(1, bytes);
        } while (serial.bitLength() < MIN_BITS);
        return serial;
    }
}
