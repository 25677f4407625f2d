package dev.certplane.security.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code certplane.admin-password} (env {@code CERTPLANE_ADMIN_PASSWORD}): the first admin's password. */
@ConfigurationProperties("certplane")
record AdminSettings(String adminPassword) {

    @Override
    public String toString() {
        return "AdminSettings[adminPassword=" + (adminPassword == null ? "unset" : "hidden") + "]";
    }
}
