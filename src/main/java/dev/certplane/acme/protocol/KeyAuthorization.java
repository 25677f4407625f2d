package dev.certplane.acme.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * A key authorization (RFC 8555 8.1): the challenge token and the account key's thumbprint, and the digests
 * the DNS-01 record (8.4) and the TLS-ALPN-01 certificate (RFC 8737 3) carry instead of the text itself.
 */
public record KeyAuthorization(String token, String thumbprint) {

    /** RFC 8555 8.1: tokens are base64url; ours carry 128 bits (22 characters), others may be longer. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22,64}");

    public KeyAuthorization {
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("a challenge token is 22 to 64 base64url characters");
        }
    }

    public String text() {
        return token + "." + thumbprint;
    }

    /** The value of the {@code _acme-challenge} TXT record: base64url(SHA-256(key authorization)). */
    public String dnsRecord() {
        return Base64Url.encode(sha256());
    }

    /** The acmeIdentifier extension's content: SHA-256 of the key authorization (RFC 8737 3). */
    public byte[] sha256() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text().getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
