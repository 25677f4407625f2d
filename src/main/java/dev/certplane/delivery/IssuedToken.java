package dev.certplane.delivery;

/**
 * A token with its HMAC key, returned once, at creation or rotation.
 *
 * @param hmacKey base64url without padding, as certbot's {@code --eab-hmac-key} and lego's {@code --hmac} take it
 */
public record IssuedToken(CertificateToken token, String hmacKey) {

    @Override
    public String toString() {
        return "IssuedToken[token=" + token + "]";
    }
}
