package dev.certplane.acme.server.internal;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Wires the ACME surface into Spring MVC: the signed-request resolver and the response filter. */
@Configuration(proxyBeanMethods = false)
class AcmeWebConfig implements WebMvcConfigurer {

    private final RequestAuthenticator authenticator;
    private final AcmeUrls urls;
    private final AcmeSettings settings;

    AcmeWebConfig(RequestAuthenticator authenticator, AcmeUrls urls, AcmeSettings settings) {
        this.authenticator = authenticator;
        this.urls = urls;
        this.settings = settings;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new SignedRequestResolver(authenticator, urls, settings.maxRequestBytes()));
    }

    @Bean
    FilterRegistrationBean<AcmeResponseFilter> acmeResponseFilter(Nonces nonces, ProfileCatalog profiles,
            MeterRegistry meters) {
        FilterRegistrationBean<AcmeResponseFilter> registration = new FilterRegistrationBean<>(
                new AcmeResponseFilter(nonces, urls, profiles, meters));
        registration.addUrlPatterns("/acme/*");
        return registration;
    }
}
