package dev.certplane.ca.internal.signing;

import java.nio.file.Path;
import java.time.Duration;

import javax.naming.ldap.Rdn;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import dev.certplane.pki.KeyType;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code certplane.ca.*}: how the built-in CA is made on first start. Changing these later does not touch
 * an existing CA.
 *
 * @param importCertificate PEM file of an existing CA certificate, followed by its chain up to the root unless
 *     it is itself the root; with {@code importKey} it is imported instead of generating a CA
 * @param leafValidityCap the longest validity the CA grants a leaf, whatever the profile asks
 */
@Validated
@ConfigurationProperties("certplane.ca")
record CaSettings(
        @DefaultValue("Certplane") @NotBlank String organization,
        @DefaultValue("ec-p384") @NotNull KeyType rootKeyType,
        @DefaultValue("ec-p256") @NotNull KeyType issuingKeyType,
        @DefaultValue("3650d") @NotNull Duration rootValidity,
        @DefaultValue("1825d") @NotNull Duration issuingValidity,
        @DefaultValue("398d") @NotNull Duration leafValidityCap,
        Path importCertificate,
        Path importKey) {

    String subject(String role) {
        String org = Rdn.escapeValue(organization).toString();
        return "CN=" + org + " " + role + ",O=" + org;
    }
}
