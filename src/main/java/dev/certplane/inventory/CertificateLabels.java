package dev.certplane.inventory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.inventory.internal.store.ImportStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** An operator's owner, organization and tags on a certificate of the inventory. */
@Service
public class CertificateLabels {

    private final ImportStore store;
    private final Inventory inventory;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    CertificateLabels(ImportStore store, Inventory inventory, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.inventory = inventory;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Changes the fields given; a {@code null} argument keeps the current value, a blank text or an empty list
     * clears it.
     *
     * @return empty if there is no such certificate
     * @throws IllegalArgumentException naming the field that is wrong
     */
    @Transactional
    public Optional<StoredCertificate> update(String id, @Nullable String owner, @Nullable String organization,
            @Nullable List<String> tags) {
        Optional<StoredCertificate> existing = inventory.find(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        StoredCertificate old = existing.get();
        Ownership changed = new Ownership(owner != null ? owner : old.owner(),
                organization != null ? organization : old.organization(), tags != null ? tags : old.tags()).checked();
        store.updateOwnership(id, changed, clock.instant());
        events.publishEvent(AuditRecord.of(clock, "certificate.updated", "certificate:" + id, Outcome.SUCCESS,
                Map.of("owner", String.valueOf(changed.owner()), "organization", String.valueOf(changed.organization()),
                        "tags", String.join(",", changed.tags()))));
        return inventory.find(id);
    }
}
