package dev.certplane.tls.internal;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code certplane.tls.*}: Certplane's own HTTPS certificate.
 *
 * @param names DNS names and IP addresses besides {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the
 *     external URL's host
 * @param renewBefore renew when less than this remains (or a third of the lifetime, if that is shorter)
 * @param checkInterval how often one replica checks whether renewal is due
 */
@Validated
@ConfigurationProperties("certplane.tls")
record TlsSettings(
        @DefaultValue({}) List<String> names,
        @DefaultValue("90d") @NotNull Duration validity,
        @DefaultValue("30d") @NotNull Duration renewBefore,
        @DefaultValue("1h") @NotNull Duration checkInterval) {

    /** Bad names stop start-up here, while configuration is bound, naming the property. */
    TlsSettings {
        names = names.stream().map(ServerNames::normalize).toList();
    }
}
