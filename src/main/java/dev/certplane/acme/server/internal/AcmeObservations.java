package dev.certplane.acme.server.internal;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * ACME requests are counted by {@link AcmeResponseFilter} with endpoint and outcome; the generic
 * {@code http.server.requests} observation would measure them a second time on the busiest surface.
 */
@Configuration(proxyBeanMethods = false)
class AcmeObservations {

    @Bean
    ObservationPredicate noGenericObservationOfAcmeRequests() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier().getRequestURI().startsWith(AcmeUrls.ROOT));
    }
}
