package dev.certplane.acme.client.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import dev.certplane.acme.client.internal.store.IssuerStore.IssuerRow;
import dev.certplane.secrets.SecretBox;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Opens an issuer's sealed account key and EAB MAC key, for the moment a request to its CA is signed. */
@Component
public class IssuerCredentials {

    private final SecretBox secrets;

    IssuerCredentials(SecretBox secrets) {
        this.secrets = secrets;
    }

    public KeyPair accountKey(IssuerRow row) {
        try {
            return new KeyPair(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(
                    Base64.getDecoder().decode(row.accountPublicKey()))),
                    secrets.openPrivateKey(row.accountKeySealed(), keyPurpose(row.id())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored account public key of issuer " + row.id() + " is unreadable", e);
        }
    }

    /** The EAB MAC key, base64url as CAs hand it out, or null if the issuer has none. */
    public @Nullable String eabHmacKey(IssuerRow row) {
        return row.eabHmacSealed() == null ? null : Base64.getUrlEncoder().withoutPadding()
                .encodeToString(secrets.open(row.eabHmacSealed(), eabPurpose(row.id())));
    }

    public String sealAccountKey(String issuerId, KeyPair key) {
        return secrets.sealPrivateKey(key.getPrivate(), keyPurpose(issuerId));
    }

    public String sealEabHmacKey(String issuerId, byte[] key) {
        return secrets.seal(key, eabPurpose(issuerId));
    }

    private static String keyPurpose(String id) {
        return "acme-client.account-key:" + id;
    }

    private static String eabPurpose(String id) {
        return "acme-client.eab-hmac:" + id;
    }
}
