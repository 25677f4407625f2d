package dev.certplane.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.certplane.security.OperatorPrincipal;
import dev.certplane.security.internal.store.ApiTokenStore;
import dev.certplane.security.internal.store.ApiTokenStore.TokenRow;
import dev.certplane.security.internal.store.UserStore;
import dev.certplane.security.internal.store.UserStore.UserRow;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;
import dev.certplane.shared.Permissions;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

/** Users and their API tokens. Every change publishes its audit record in the same transaction. */
@Service
class OperatorAccounts {

    static final String TOKEN_PREFIX = "cpt_";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Last use is recorded at most this often, so authenticated reads do not each cost a write. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    /** The same bounds as a new user's password ({@code POST /api/users}). */
    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 200;

    private final UserStore users;
    private final ApiTokenStore tokens;
    private final PasswordEncoder passwords;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    OperatorAccounts(UserStore users, ApiTokenStore tokens, PasswordEncoder passwords, ApplicationEventPublisher events,
            Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.passwords = passwords;
        this.events = events;
        this.clock = clock;
    }

    record UserView(String id, String username, Set<String> permissions, boolean mustChangePassword, boolean enabled,
            Instant createdAt) {

        static UserView of(UserRow u) {
            return new UserView(u.id(), u.username(), u.permissions(), u.mustChangePassword(), u.enabled(),
                    u.createdAt());
        }
    }

    record TokenView(String id, String userId, String name, String prefix, Set<String> permissions, Instant createdAt,
            Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

        static TokenView of(TokenRow t) {
            return new TokenView(t.id(), t.userId(), t.name(), t.prefix(), t.permissions(), t.createdAt(),
                    t.expiresAt(), t.lastUsedAt(), t.revokedAt());
        }
    }

    /** A new token: {@code token} is the secret, shown this once and never stored. */
    record CreatedToken(TokenView view, String token) {
    }

    @Transactional
    UserView createUser(String username, String password, Set<String> permissions, boolean mustChangePassword) {
        requireKnown(permissions);
        UserRow user = new UserRow(UUID.randomUUID().toString(), username, passwords.encode(password),
                new LinkedHashSet<>(permissions), mustChangePassword, true, clock.instant());
        try {
            users.insert(user);
        } catch (DuplicateKeyException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "a user named '" + username + "' already exists");
        }
        events.publishEvent(AuditRecord.of(clock, "user.created", "user:" + username, Outcome.SUCCESS,
                Map.of("permissions", String.join(",", permissions))));
        return UserView.of(user);
    }

    @Transactional(readOnly = true)
    List<UserView> users() {
        return users.all().stream().map(UserView::of).toList();
    }

    @Transactional(readOnly = true)
    boolean mustChangePassword(String userId) {
        return users.findById(userId).map(UserRow::mustChangePassword).orElse(false);
    }

    /**
     * Replaces the user's own password after checking the current one, and clears the must-change flag.
     *
     * @throws IllegalArgumentException naming what is wrong with the input
     */
    @Transactional
    void changePassword(String userId, String currentPassword, String newPassword) {
        UserRow user = users.findById(userId).orElseThrow(() -> new IllegalArgumentException("the user no longer exists"));
        if (!passwords.matches(currentPassword, user.passwordHash())) {
            throw new IllegalArgumentException("the current password is not correct");
        }
        if (newPassword.length() < MIN_PASSWORD || newPassword.length() > MAX_PASSWORD) {
            throw new IllegalArgumentException("the new password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD
                    + " characters");
        }
        if (newPassword.equals(currentPassword)) {
            throw new IllegalArgumentException("the new password must differ from the current one");
        }
        users.updatePassword(userId, passwords.encode(newPassword), clock.instant());
        events.publishEvent(AuditRecord.of(clock, "user.password-changed", "user:" + user.username(), Outcome.SUCCESS,
                Map.of()));
    }

    @Transactional(readOnly = true)
    boolean anyUser() {
        return users.count() > 0;
    }

    @Transactional
    CreatedToken createToken(OperatorPrincipal owner, String name, Set<String> permissions, Duration lifetime) {
        requireKnown(permissions);
        Set<String> held = EffectivePermissions.expand(owner.permissions());
        List<String> notHeld = permissions.stream().filter(p -> !held.contains(p)).toList();
        if (!notHeld.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "a token cannot carry permissions its creator does not hold: " + String.join(", ", notHeld));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        TokenRow row = new TokenRow(UUID.randomUUID().toString(), owner.userId(), name, hash(token),
                token.substring(0, TOKEN_PREFIX.length() + 6), new LinkedHashSet<>(permissions), now,
                lifetime == null ? null : now.plus(lifetime), null, null);
        tokens.insert(row);
        events.publishEvent(AuditRecord.of(clock, "api-token.created", "api-token:" + row.id(), Outcome.SUCCESS,
                Map.of("name", name, "permissions", String.join(",", permissions), "owner", owner.username(),
                        "expiresAt", row.expiresAt() == null ? "never" : row.expiresAt().toString())));
        return new CreatedToken(TokenView.of(row), token);
    }

    @Transactional(readOnly = true)
    List<TokenView> tokens(OperatorPrincipal who, boolean all) {
        if (all && !who.permissions().contains(Permissions.ADMIN)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "listing every operator's tokens needs admin");
        }
        return (all ? tokens.all() : tokens.byUser(who.userId())).stream().map(TokenView::of).toList();
    }

    @Transactional
    TokenView revokeToken(OperatorPrincipal who, String tokenId) {
        TokenRow row = tokens.findById(tokenId)
                .filter(t -> t.userId().equals(who.userId())
                        || who.permissions().contains(Permissions.ADMIN))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no API token " + tokenId));
        if (!tokens.revoke(tokenId, clock.instant())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "API token " + tokenId + " is already revoked");
        }
        events.publishEvent(AuditRecord.of(clock, "api-token.revoked", "api-token:" + tokenId, Outcome.SUCCESS,
                Map.of("name", row.name())));
        return TokenView.of(tokens.findById(tokenId).orElseThrow());
    }

    /** The operator a bearer token stands for, if it is known, unexpired, unrevoked and its user enabled. */
    @Transactional
    Optional<OperatorPrincipal> authenticateToken(String token) {
        if (!token.startsWith(TOKEN_PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<TokenRow> row = tokens.findByHash(hash(token))
                .filter(t -> t.revokedAt() == null)
                .filter(t -> t.expiresAt() == null || t.expiresAt().isAfter(now));
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Optional<UserRow> user = users.findById(row.get().userId()).filter(UserRow::enabled);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        if (row.get().lastUsedAt() == null || row.get().lastUsedAt().isBefore(now.minus(TOUCH_INTERVAL))) {
            tokens.touch(row.get().id(), now);
        }
        // A token never outlives a permission its user has since lost.
        Set<String> userHolds = EffectivePermissions.expand(user.get().permissions());
        Set<String> granted = new LinkedHashSet<>(EffectivePermissions.expand(row.get().permissions()));
        granted.retainAll(userHolds);
        return Optional.of(new OperatorPrincipal(user.get().id(), user.get().username(), granted, row.get().id()));
    }

    private static void requireKnown(Set<String> permissions) {
        List<String> unknown = EffectivePermissions.unknown(permissions);
        if (!unknown.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "unknown permissions: " + String.join(", ", unknown)
                    + " (known: " + String.join(", ", Permissions.ALL) + ")");
        }
    }

    /** Tokens carry 256 random bits, so a plain SHA-256 is enough to make the stored value useless. */
    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
