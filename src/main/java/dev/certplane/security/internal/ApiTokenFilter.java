package dev.certplane.security.internal;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.certplane.security.OperatorPrincipal;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates {@code Authorization: Bearer cpt_...} API tokens on the API chain. */
class ApiTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final OperatorAccounts accounts;
    private final ProblemResponses problems;
    private final RequestAttributeSecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

    ApiTokenFilter(OperatorAccounts accounts, ProblemResponses problems) {
        this.accounts = accounts;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            chain.doFilter(request, response);
            return;
        }
        Optional<OperatorPrincipal> principal = accounts.authenticateToken(header.substring(BEARER.length()).strip());
        if (principal.isEmpty()) {
            problems.commence(request, response, new BadCredentialsException("invalid, expired or revoked API token"));
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal.get(), null,
                EffectivePermissions.authorities(principal.get().permissions())));
        SecurityContextHolder.setContext(context);
        // A streamed response (the CSV export) finishes in an async dispatch, which this filter does not see again:
        // the authorization filter there finds the authentication through this request attribute, as it does for
        // HTTP Basic, instead of refusing a response that has already started.
        repository.saveContext(context, request, response);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
