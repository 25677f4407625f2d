package dev.certplane.inventory;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.inventory.internal.store.ManagedCertificateStore;
import dev.certplane.inventory.spi.ProfilePolicy;
import dev.certplane.issuance.IssuanceProfile;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Managed certificates and their versions: create, change, list, and record each issuance as a new version. */
@Service
public class ManagedCertificates {

    public static final int MAX_NAMES = 100;
    public static final int MAX_PAGE_SIZE = 500;

    private final ManagedCertificateStore store;
    private final ProfilePolicy profiles;
    private final Inventory inventory;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ManagedCertificates(ManagedCertificateStore store, ProfilePolicy profiles, Inventory inventory,
            ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.inventory = inventory;
        this.profiles = profiles;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @throws IllegalArgumentException naming the field that is wrong
     * @throws DuplicateNameException if another managed certificate has the name
     */
    @Transactional
    public ManagedCertificate create(ManagedCertificateDraft draft) {
        ManagedCertificateDraft checked = check(draft);
        if (store.findByName(checked.name()).isPresent()) {
            throw new DuplicateNameException(checked.name());
        }
        Instant now = clock.instant();
        ManagedCertificate created = new ManagedCertificate(Ids.random(), checked.name(), checked.names(),
                checked.profile(), checked.owner(), checked.organization(), checked.tags(), null, 0, now, now);
        store.insert(created);
        audit("managed-certificate.created", created);
        return created;
    }

    /**
     * Replaces the name set, profile, owner, organization and tags. Versions stay as they are; a changed name set
     * applies to the next issuance.
     *
     * @return empty if there is no such managed certificate
     */
    @Transactional
    public Optional<ManagedCertificate> update(String id, ManagedCertificateDraft draft) {
        Optional<ManagedCertificate> existing = store.find(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        ManagedCertificateDraft checked = check(draft);
        store.findByName(checked.name()).filter(other -> !other.id().equals(id)).ifPresent(other -> {
            throw new DuplicateNameException(checked.name());
        });
        ManagedCertificate old = existing.get();
        ManagedCertificate changed = new ManagedCertificate(id, checked.name(), checked.names(), checked.profile(),
                checked.owner(), checked.organization(), checked.tags(), old.currentVersion(), old.latestVersion(),
                old.createdAt(), clock.instant());
        store.update(changed);
        audit("managed-certificate.updated", changed);
        return Optional.of(changed);
    }

    public Optional<ManagedCertificate> find(String id) {
        return store.find(id);
    }

    /**
     * @param text matched case-insensitively against the name and the names; {@code null} for all
     * @param page zero-based
     */
    public InventoryPage<ManagedCertificate> list(@Nullable String text, @Nullable String organization,
            @Nullable String tag, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page must be 0 or more and size 1 to " + MAX_PAGE_SIZE);
        }
        long total = store.count(blankToNull(text), blankToNull(organization), blankToNull(tag));
        List<ManagedCertificate> items = store.list(blankToNull(text), blankToNull(organization), blankToNull(tag),
                (long) page * size, size);
        return new InventoryPage<>(items, total, page, size);
    }

    public List<CertificateVersion> versions(String managedCertificateId) {
        return store.versions(managedCertificateId);
    }

    public Optional<CertificateVersion> version(String managedCertificateId, int version) {
        return store.version(managedCertificateId, version);
    }

    /** The leaf and its issuers as PEM, without the self-signed root (what a server sends). */
    public Optional<String> versionPem(String managedCertificateId, int version) {
        return store.version(managedCertificateId, version).map(v -> inventory.chain(v.certificateId()).stream()
                .filter(c -> !c.selfIssued()).map(StoredCertificate::pem).reduce("", String::concat));
    }

    public Optional<CertificateVersion> versionByFingerprint(String managedCertificateId, String fingerprintSha256) {
        return store.versionByFingerprint(managedCertificateId, fingerprintSha256);
    }

    /**
     * Records a newly issued certificate as the managed certificate's next version, which becomes current.
     * Joins the caller's transaction, so the version commits with the issuance that produced it, and publishes
     * {@link ManagedCertificateVersionAdded} in it.
     *
     * @param chain the leaf first, then its issuers (the root too, if known: it joins the inventory)
     * @param actor who obtained it, for the audit trail
     */
    @Transactional
    public CertificateVersion addVersion(String managedCertificateId, List<X509Certificate> chain, String source,
            String reference, String actor) {
        return addVersion(managedCertificateId, chain, source, reference, actor, null);
    }

    /**
     * As {@link #addVersion(String, List, String, String, String)}, keeping the leaf's private key sealed when
     * Certplane generated it.
     */
    @Transactional
    public CertificateVersion addVersion(String managedCertificateId, List<X509Certificate> chain, String source,
            String reference, String actor, @Nullable PrivateKey privateKey) {
        Instant now = clock.instant();
        StoredCertificate certificate = inventory.record(chain, "issued", "managed:" + managedCertificateId,
                privateKey).certificate();
        int version = store.nextVersion(managedCertificateId, now);
        store.insertVersion(managedCertificateId, version, certificate.id(), source, reference, now);
        events.publishEvent(AuditRecord.of(clock, "managed-certificate.version-added",
                "managed-certificate:" + managedCertificateId, Outcome.SUCCESS, Map.of("version", String.valueOf(version),
                        "serial", certificate.serial(), "fingerprint", certificate.fingerprintSha256(),
                        "source", source, "reference", reference)).by(actor));
        events.publishEvent(new ManagedCertificateVersionAdded(managedCertificateId, version, certificate.id(),
                certificate.fingerprintSha256()));
        return store.version(managedCertificateId, version).orElseThrow();
    }

    /**
     * Makes {@code to} the current version again while {@code from} is current (a rollback), audited as
     * {@code managed-certificate.version-restored}.
     *
     * @return false if {@code from} is no longer current, so nothing changed
     */
    @Transactional
    public boolean restoreVersion(String managedCertificateId, int from, int to, String actor) {
        if (store.version(managedCertificateId, to).isEmpty()
                || !store.restoreVersion(managedCertificateId, from, to, clock.instant())) {
            return false;
        }
        events.publishEvent(AuditRecord.of(clock, "managed-certificate.version-restored",
                "managed-certificate:" + managedCertificateId, Outcome.SUCCESS,
                Map.of("from", String.valueOf(from), "to", String.valueOf(to))).by(actor));
        return true;
    }

    /** The managed certificate one of whose versions is this inventory certificate. */
    public Optional<ManagedCertificate> ofCertificate(String certificateId) {
        return store.managedCertificateOf(certificateId).flatMap(store::find);
    }

    /**
     * Managed certificates that have a current version, with it, soonest expiry first, a page at a time.
     *
     * @param after the last one of the previous page, {@code null} for the first
     */
    public List<CurrentVersion> currentVersions(@Nullable CurrentVersion after, int limit) {
        return store.currentVersions(after == null ? null : after.version().notAfter(),
                after == null ? null : after.certificate().id(), limit);
    }

    /** How the managed certificate's profile issues from the built-in CA. */
    public IssuanceProfile issuanceProfile(ManagedCertificate certificate) {
        return profiles.issuanceProfile(certificate.profile());
    }

    private ManagedCertificateDraft check(ManagedCertificateDraft draft) {
        String name = draft.name().strip();
        if (name.isEmpty() || name.length() > 200 || Ownership.hasControl(name)) {
            throw new IllegalArgumentException("name must be 1 to 200 printable characters");
        }
        String profile = draft.profile().strip();
        if (profile.isEmpty()) {
            throw new IllegalArgumentException("profile must name a profile");
        }
        if (draft.names().isEmpty() || draft.names().size() > MAX_NAMES) {
            throw new IllegalArgumentException("names must hold 1 to " + MAX_NAMES + " DNS names or IP addresses");
        }
        List<String> canonical = List.copyOf(new LinkedHashSet<>(profiles.admit(profile,
                draft.names().stream().map(String::strip).toList())));
        Ownership ownership = new Ownership(draft.owner(), draft.organization(), draft.tags()).checked();
        return new ManagedCertificateDraft(name, canonical, profile, ownership.owner(), ownership.organization(),
                ownership.tags());
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private void audit(String action, ManagedCertificate certificate) {
        events.publishEvent(AuditRecord.of(clock, action, "managed-certificate:" + certificate.id(), Outcome.SUCCESS,
                Map.of("name", certificate.name(), "names", String.join(",", certificate.names()),
                        "profile", certificate.profile(), "owner", String.valueOf(certificate.owner()),
                        "organization", String.valueOf(certificate.organization()),
                        "tags", String.join(",", certificate.tags()))));
    }
}
