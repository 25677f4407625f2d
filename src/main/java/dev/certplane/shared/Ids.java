package dev.certplane.shared;

import java.security.SecureRandom;
import java.util.Base64;

/** Resource ids: 128 random bits, base64url, so URLs cannot be guessed or enumerated. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
