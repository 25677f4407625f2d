package dev.certplane.secrets.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code certplane.master-key} (env {@code CERTPLANE_MASTER_KEY}): base64 of 32 random bytes. */
@ConfigurationProperties("certplane")
record MasterKeyProperties(String masterKey) {

    @Override
    public String toString() {
        return "MasterKeyProperties[masterKey=" + (masterKey == null ? "unset" : "hidden") + "]";
    }
}
