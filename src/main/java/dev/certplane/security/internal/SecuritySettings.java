package dev.certplane.security.internal;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code certplane.security.*}: login throttling.
 *
 * @param maxLoginFailures failed logins within {@code loginWindow} that lock a user name
 */
@Validated
@ConfigurationProperties("certplane.security")
record SecuritySettings(
        @DefaultValue("5") @Min(1) int maxLoginFailures,
        @DefaultValue("15m") @NotNull Duration loginWindow,
        @DefaultValue("15m") @NotNull Duration lockout) {
}
