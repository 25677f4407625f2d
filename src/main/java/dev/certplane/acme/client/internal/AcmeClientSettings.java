package dev.certplane.acme.client.internal;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code certplane.acme.client.*}: how our ACME client runs orders at external CAs.
 *
 * @param http01Port the plain-HTTP port of the built-in HTTP-01 responder; 0 leaves it off
 * @param dnsResolvers {@code host:port} resolvers used to find a zone's authoritative nameservers; empty: the system's
 * @param nameserverPort the port authoritative nameservers are asked on (53; tests use another)
 * @param propagationTimeout how long to wait for every authoritative nameserver to show a dns-01 record
 * @param pollInterval how long to wait between checks of propagation and of the CA's progress
 * @param caTimeout how long the CA may take to validate or to issue before the workflow fails
 * @param maxAttempts how often a step that failed for a passing reason (network, rate limit) is tried
 * @param runInterval how often due workflows are looked for
 */
@ConfigurationProperties("certplane.acme.client")
public record AcmeClientSettings(@DefaultValue("0") int http01Port, @Nullable List<String> dnsResolvers,
        @DefaultValue("53") int nameserverPort, @DefaultValue("2m") Duration propagationTimeout,
        @DefaultValue("2s") Duration pollInterval, @DefaultValue("5m") Duration caTimeout,
        @DefaultValue("5") int maxAttempts, @DefaultValue("2s") Duration runInterval) {

    public AcmeClientSettings {
        dnsResolvers = dnsResolvers == null ? List.of() : List.copyOf(dnsResolvers);
        if (http01Port < 0 || http01Port > 65535 || nameserverPort < 1 || nameserverPort > 65535) {
            throw new IllegalArgumentException("certplane.acme.client.http01-port and .nameserver-port must be port numbers");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("certplane.acme.client.max-attempts must be at least 1");
        }
    }
}
