package dev.certplane.acme.server.internal.validation;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the validator to the real network: dnsjava resolvers per perspective and plain TCP connections. */
@Configuration(proxyBeanMethods = false)
class ValidationConfig {

    @Bean
    ChallengeValidator challengeValidator(ValidationSettings settings) {
        Dns primary = new DnsJavaResolver(
                ValidationSettings.resolverAddresses("dns-resolvers", settings.dnsResolvers()), settings.dnsTimeout());
        List<Dns> perspectives = ValidationSettings.resolverAddresses("perspectives.resolvers",
                        settings.perspectives().resolvers()).stream()
                .map(address -> (Dns) new DnsJavaResolver(List.of(address), settings.dnsTimeout())).toList();
        return new ChallengeValidator(settings, primary, perspectives, Connector.PLAIN);
    }
}
