package dev.certplane.acme.client.internal;

import java.net.URI;
import java.nio.file.Path;
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
 * @param cloudflareApiUrl the Cloudflare API v4 base URL {@code cloudflare} DNS providers talk to
 * @param execDirectories the directories whose programs {@code exec} DNS providers and http-01 methods may run;
 *     empty: {@code exec} is off, since whoever may add a provider could otherwise run any program on the server
 */
@ConfigurationProperties("certplane.acme.client")
public record AcmeClientSettings(@DefaultValue("0") int http01Port, @Nullable List<String> dnsResolvers,
        @DefaultValue("53") int nameserverPort, @DefaultValue("2m") Duration propagationTimeout,
        @DefaultValue("2s") Duration pollInterval, @DefaultValue("5m") Duration caTimeout,
        @DefaultValue("5") int maxAttempts, @DefaultValue("2s") Duration runInterval,
        @DefaultValue("https://api.cloudflare.com/client/v4") URI cloudflareApiUrl,
        @Nullable List<String> execDirectories) {

    public AcmeClientSettings {
        dnsResolvers = dnsResolvers == null ? List.of() : List.copyOf(dnsResolvers);
        execDirectories = execDirectories == null ? List.of() : List.copyOf(execDirectories);
        if (http01Port < 0 || http01Port > 65535 || nameserverPort < 1 || nameserverPort > 65535) {
            throw new IllegalArgumentException("certplane.acme.client.http01-port and .nameserver-port must be port numbers");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("certplane.acme.client.max-attempts must be at least 1");
        }
        if (!List.of("http", "https").contains(String.valueOf(cloudflareApiUrl.getScheme()))
                || cloudflareApiUrl.getHost() == null) {
            throw new IllegalArgumentException("certplane.acme.client.cloudflare-api-url '" + cloudflareApiUrl
                    + "' must be an http(s) URL with a host");
        }
        for (String directory : execDirectories) {
            if (!Path.of(directory).isAbsolute()) {
                throw new IllegalArgumentException("certplane.acme.client.exec-directories: '" + directory
                        + "' is not an absolute path");
            }
        }
    }

    /** The exec directories as paths. */
    List<Path> execPaths() {
        return execDirectories.stream().map(Path::of).toList();
    }
}
