package dev.certplane.security.internal;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.certplane.security.OperatorPrincipal;

import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds a UI session on the password page until an operator whose password was set by someone else (the
 * generated admin password, a user created by an admin) has chosen their own. The API is not held: scripts
 * bootstrapping with HTTP Basic keep working.
 */
class PasswordChangeGate extends OncePerRequestFilter {

    static final String PAGE = "/account/password";
    static final String REQUIRED = PasswordChangeGate.class.getName() + ".required";
    private static final List<String> OPEN = List.of(PAGE, "/logout", "/login", "/webjars/", "/css/", "/js/", "/error",
            "/favicon.ico");

    private final OperatorAccounts accounts;

    PasswordChangeGate(OperatorAccounts accounts) {
        this.accounts = accounts;
    }

    /** After a form login: to the password page if the flag is set, else where the user was going. */
    AuthenticationSuccessHandler successHandler() {
        SavedRequestAwareAuthenticationSuccessHandler usual = new SavedRequestAwareAuthenticationSuccessHandler();
        usual.setDefaultTargetUrl("/");
        return (request, response, authentication) -> {
            if (authentication.getPrincipal() instanceof OperatorPrincipal operator
                    && accounts.mustChangePassword(operator.userId())) {
                request.getSession().setAttribute(REQUIRED, Boolean.TRUE);
                response.sendRedirect(request.getContextPath() + PAGE);
                return;
            }
            usual.onAuthenticationSuccess(request, response, authentication);
        };
    }

    static boolean required(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && session.getAttribute(REQUIRED) != null;
    }

    static void passed(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(REQUIRED);
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (session != null && session.getAttribute(REQUIRED) != null && OPEN.stream().noneMatch(path::startsWith)) {
            response.sendRedirect(request.getContextPath() + PAGE);
            return;
        }
        chain.doFilter(request, response);
    }
}
