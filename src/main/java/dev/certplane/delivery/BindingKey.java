package dev.certplane.delivery;

/** What newAccount needs to check an external account binding: the token's HMAC key. */
public record BindingKey(String tokenId, String keyId, byte[] hmacKey) {

    public BindingKey {
        hmacKey = hmacKey.clone();
    }

    @Override
    public byte[] hmacKey() {
        return hmacKey.clone();
    }

    @Override
    public String toString() {
        return "BindingKey[tokenId=" + tokenId + ", keyId=" + keyId + "]";
    }
}
