package dev.certplane.acme.server.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.ProblemType;
import dev.certplane.acme.server.internal.store.ProfileStore;
import dev.certplane.acme.server.internal.store.ProfileStore.ProfileRow;
import dev.certplane.pki.KeyType;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;

/**
 * The ACME profiles: those declared in configuration (written to the database at start, read-only through
 * the API) and those created through the API. Requests read a snapshot that is at most
 * {@link #REFRESH} old, so a change made on one replica reaches the others within seconds without a
 * database query per ACME request.
 */
@Service
class ProfileCatalog {

    static final Duration REFRESH = Duration.ofSeconds(5);

    private final ProfileStore store;
    private final AcmeSettings settings;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private volatile Map<String, Profile> snapshot = Map.of();
    private volatile long loadedAtNanos;

    ProfileCatalog(ProfileStore store, AcmeSettings settings, ApplicationEventPublisher events,
            PlatformTransactionManager transactions, Clock clock) {
        this.store = store;
        this.transaction = new TransactionTemplate(transactions);
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    /** The profile a directory URL names; {@code 404 malformed} if there is none. */
    Profile require(String name) {
        Profile profile = current().get(name);
        if (profile == null) {
            throw AcmeProblem.withStatus(ProblemType.MALFORMED, 404, "there is no ACME profile named '" + abbreviate(name)
                    + "'; the default directory is /acme/directory");
        }
        return profile;
    }

    String defaultProfile() {
        return settings.defaultProfile();
    }

    List<Profile> all() {
        return current().values().stream().sorted(Comparator.comparing(Profile::name)).toList();
    }

    Optional<Profile> find(String name) {
        return Optional.ofNullable(current().get(name));
    }

    /**
     * Writes the configured profiles to the database. Another replica may be doing the same at this moment,
     * so each write is its own short transaction and losing an insert race turns into an update (on
     * PostgreSQL a failed insert would poison a shared transaction).
     */
    void synchronizeConfiguration() {
        Instant now = clock.instant();
        List<Profile> configured = settings.configuredProfiles();
        for (Profile profile : configured) {
            transaction.executeWithoutResult(s -> {
                Optional<ProfileRow> existing = store.find(profile.name());
                if (existing.isPresent() && !existing.get().source().equals(Profile.FROM_CONFIGURATION)) {
                    // Configuration wins over an API-created profile of the same name.
                    store.delete(profile.name(), existing.get().source());
                }
            });
            ProfileRow row = row(profile, now, now);
            boolean inserted;
            try {
                inserted = Boolean.TRUE.equals(transaction.execute(s -> {
                    if (store.find(profile.name()).isPresent()) {
                        return false;
                    }
                    store.insert(row);
                    return true;
                }));
            } catch (DuplicateKeyException e) {
                inserted = false;
            }
            if (!inserted) {
                transaction.executeWithoutResult(s -> store.update(row));
            }
        }
        transaction.executeWithoutResult(s -> {
            for (ProfileRow row : store.all()) {
                boolean stillConfigured = configured.stream().anyMatch(p -> p.name().equals(row.name()));
                if (row.source().equals(Profile.FROM_CONFIGURATION) && !stillConfigured) {
                    store.delete(row.name(), Profile.FROM_CONFIGURATION);
                }
            }
        });
        reload();
    }

    @Transactional
    Profile create(Profile profile) {
        if (store.find(profile.name()).isPresent()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "a profile named '" + profile.name() + "' exists");
        }
        Instant now = clock.instant();
        try {
            store.insert(row(profile, now, now));
        } catch (DuplicateKeyException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "a profile named '" + profile.name() + "' exists");
        }
        audit("acme.profile.created", profile);
        reload();
        return profile;
    }

    @Transactional
    Profile update(Profile profile) {
        ProfileRow existing = requireEditable(profile.name());
        store.update(row(profile, existing.createdAt(), clock.instant()));
        audit("acme.profile.updated", profile);
        reload();
        return profile;
    }

    @Transactional
    void delete(String name) {
        requireEditable(name);
        if (name.equals(settings.defaultProfile())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "'" + name + "' is the default profile");
        }
        store.delete(name, Profile.FROM_API);
        events.publishEvent(AuditRecord.of(clock, "acme.profile.deleted", "acme-profile:" + name, Outcome.SUCCESS,
                Map.of()));
        reload();
    }

    private ProfileRow requireEditable(String name) {
        ProfileRow existing = store.find(name).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no profile named '" + name + "'"));
        if (existing.source().equals(Profile.FROM_CONFIGURATION)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "profile '" + name + "' is declared in configuration"
                    + " (certplane.acme.profiles." + name + "); change it there");
        }
        return existing;
    }

    private void audit(String action, Profile profile) {
        events.publishEvent(AuditRecord.of(clock, action, "acme-profile:" + profile.name(), Outcome.SUCCESS, Map.of(
                "authMode", profile.authMode().configName(), "allowedDomains", String.join(",", profile.allowedDomains()),
                "allowedIpRanges", String.join(",", profile.allowedIpRanges()),
                "validity", profile.validity().toString(), "caa", String.valueOf(profile.caa().enabled()),
                "caaIdentities", String.join(",", profile.caa().issuerDomains()))));
    }

    private Map<String, Profile> current() {
        if (System.nanoTime() - loadedAtNanos > REFRESH.toNanos()) {
            reload();
        }
        return snapshot;
    }

    private void reload() {
        snapshot = store.all().stream().map(ProfileCatalog::profile)
                .collect(Collectors.toUnmodifiableMap(Profile::name, Function.identity()));
        loadedAtNanos = System.nanoTime();
    }

    private static Profile profile(ProfileRow row) {
        return Profile.of(row.name(), row.authMode(), row.allowedDomains(), row.allowedIpRanges(),
                Duration.ofSeconds(row.validitySeconds()), row.keyTypes(), row.description(), row.source())
                .withCaa(row.caaEnabled(), row.caaIdentities())
                .withUpstream(row.upstreamIssuer(), row.upstreamDnsProvider(), row.upstreamChallenge());
    }

    private static ProfileRow row(Profile p, Instant createdAt, Instant updatedAt) {
        return new ProfileRow(p.name(), p.authMode().configName(), p.allowedDomains(), p.allowedIpRanges(),
                p.validity().toSeconds(), p.keyTypes().stream().sorted().map(KeyType::configName).toList(),
                p.description(), p.source(), p.caa().enabled(), p.caa().issuerDomains(),
                p.upstream() == null ? null : p.upstream().issuer(), p.upstream() == null ? null : p.upstream().dnsProvider(),
                p.upstream() == null ? null : p.upstream().challenge(), createdAt, updatedAt);
    }

    private static String abbreviate(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
