package dev.certplane.acme.protocol;

import java.util.Base64;
import java.util.regex.Pattern;

/** Strict base64url without padding (RFC 7515 2): anything else in a JWS or an ACME field is malformed. */
public final class Base64Url {

    private static final Pattern ALPHABET = Pattern.compile("[A-Za-z0-9_-]*");

    private Base64Url() {
    }

    public static byte[] decode(String text, String what) {
        if (!ALPHABET.matcher(text).matches() || text.length() % 4 == 1) {
            throw AcmeProblem.malformed("the " + what + " is not unpadded base64url");
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw AcmeProblem.malformed("the " + what + " is not unpadded base64url");
        }
    }

    public static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
