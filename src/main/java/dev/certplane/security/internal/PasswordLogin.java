package dev.certplane.security.internal;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import dev.certplane.security.OperatorPrincipal;
import dev.certplane.security.internal.store.LoginFailureStore.Failures;
import dev.certplane.security.internal.store.UserStore;
import dev.certplane.security.internal.store.UserStore.UserRow;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * User name and password, for the login form and for HTTP Basic on {@code /api/**}. Throttled per user
 * name; unknown users cost the same hashing time as known ones, so timing does not reveal which exist.
 */
@Component
class PasswordLogin implements AuthenticationProvider {

    private static final int MAX_USERNAME = 100;

    private final UserStore users;
    private final PasswordEncoder passwords;
    private final LoginThrottle throttle;
    private final String dummyHash;

    PasswordLogin(UserStore users, PasswordEncoder passwords, LoginThrottle throttle) {
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        this.dummyHash = passwords.encode("certplane-timing-equaliser");
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName() == null ? "" : authentication.getName().strip();
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        if (username.isEmpty() || username.length() > MAX_USERNAME) {
            throw new BadCredentialsException("bad user name or password");
        }
        username = username.toLowerCase(Locale.ROOT);
        String method = method();
        Optional<Failures> failures = throttle.failures(username);
        Optional<Instant> locked = throttle.lockedUntil(failures);
        if (locked.isPresent()) {
            throttle.failed(username, method, "locked");
            throw new LockedException("too many failed logins for this user; try again after " + locked.get());
        }
        Optional<UserRow> user = users.findByUsername(username);
        boolean matches = passwords.matches(password, user.map(UserRow::passwordHash).orElse(dummyHash));
        if (user.isEmpty() || !matches || !user.get().enabled()) {
            throttle.failed(username, method, user.isEmpty() ? "unknown user" : !matches ? "bad password" : "disabled");
            throw new BadCredentialsException("bad user name or password");
        }
        throttle.succeeded(username, failures);
        UserRow u = user.get();
        OperatorPrincipal principal = new OperatorPrincipal(u.id(), u.username(),
                EffectivePermissions.expand(u.permissions()), null);
        return UsernamePasswordAuthenticationToken.authenticated(principal, null,
                EffectivePermissions.authorities(u.permissions()));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static String method() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                && attributes.getRequest().getRequestURI().startsWith("/api/")) {
            return "basic";
        }
        return "form";
    }
}
