package dev.certplane.acme.server.internal;

import java.io.IOException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * What every ACME response carries: a fresh {@code Replay-Nonce} (RFC 8555 6.5, also on errors, so a
 * {@code badNonce} can be retried at once), the {@code index} link to the directory (7.1) and
 * {@code Cache-Control: no-store}. Counts requests per endpoint and outcome for Prometheus.
 */
class AcmeResponseFilter extends OncePerRequestFilter {

    static final String OUTCOME = AcmeResponseFilter.class.getName() + ".outcome";

    private final Nonces nonces;
    private final AcmeUrls urls;
    private final ProfileCatalog profiles;
    private final MeterRegistry meters;

    AcmeResponseFilter(Nonces nonces, AcmeUrls urls, ProfileCatalog profiles, MeterRegistry meters) {
        this.nonces = nonces;
        this.urls = urls;
        this.profiles = profiles;
        this.meters = meters;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Replay-Nonce", nonces.issue());
        response.setHeader("Cache-Control", "no-store");
        response.addHeader("Link", "<" + urls.directory(profileOf(request)) + ">;rel=\"index\"");
        try {
            chain.doFilter(request, response);
        } finally {
            Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            Object outcome = request.getAttribute(OUTCOME);
            Counter.builder("certplane.acme.requests").description("ACME requests by endpoint and outcome")
                    .tag("endpoint", endpoint(pattern == null ? "unmatched" : pattern.toString()))
                    .tag("outcome", outcome == null ? Integer.toString(response.getStatus()) : outcome.toString())
                    .register(meters).increment();
        }
    }

    private String profileOf(HttpServletRequest request) {
        String[] segments = request.getRequestURI().split("/");
        // "", "acme", "<profile>", ...
        if (segments.length > 3 && profiles.find(segments[2]).isPresent()) {
            return segments[2];
        }
        return profiles.defaultProfile();
    }

    /** {@code /acme/{profile}/order/{id}/finalize} becomes {@code order/finalize}: bounded tag values. */
    private static String endpoint(String pattern) {
        String endpoint = pattern.replace("/acme/{profile}/", "").replace("/acme/", "")
                .replaceAll("/?\\{[^}]*}", "").replace("/**", "");
        return endpoint.isEmpty() ? "other" : endpoint;
    }
}
