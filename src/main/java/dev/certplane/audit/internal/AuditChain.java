package dev.certplane.audit.internal;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

import dev.certplane.audit.AuditEvent;
import dev.certplane.audit.AuditLog;
import dev.certplane.audit.AuditPage;
import dev.certplane.audit.AuditQuery;
import dev.certplane.audit.ChainVerification;
import dev.certplane.audit.internal.store.AuditStore;
import dev.certplane.audit.internal.store.AuditStore.Head;
import dev.certplane.audit.internal.store.AuditStore.StoredEvent;
import dev.certplane.secrets.SecretBox;
import dev.certplane.shared.AuditRecord;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends audit records to the chain and verifies it. Records arrive through the event publication
 * registry after the publishing transaction committed; the publication itself was stored in that
 * transaction, so a crash in between replays it on restart, and the event id makes the replay a no-op.
 */
@Service
class AuditChain implements AuditLog {

    private static final int VERIFY_BATCH = 1000;
    /** The hash the first event links to (seeded into audit_chain_head by the migration). */
    private static final String GENESIS_HASH = "0".repeat(64);

    private final AuditStore store;
    private final ChainHash chainHash;
    private final Clock clock;

    AuditChain(AuditStore store, SecretBox secrets, Clock clock) {
        this.store = store;
        this.chainHash = new ChainHash(secrets.deriveKey("audit-chain"));
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(AuditRecord record) {
        append(record);
    }

    /** Package-private for tests; must run inside a transaction (the listener's own). */
    void append(AuditRecord r) {
        Head head = store.lockHead();
        if (store.contains(r.id())) {
            return;
        }
        long seq = head.seq() + 1;
        // The database keeps microseconds; hash what will be read back.
        var occurredAt = r.occurredAt().truncatedTo(ChronoUnit.MICROS);
        String details = store.detailsJson(r.details());
        String hash = chainHash.link(head.hash(), seq, r.id(), occurredAt, r.actor(), r.sourceIp(), r.action(),
                r.target(), r.outcome().name(), details);
        store.append(new AuditEvent(seq, r.id(), occurredAt, clock.instant().truncatedTo(ChronoUnit.MICROS),
                r.actor(), r.sourceIp(), r.action(), r.target(), r.outcome().name(), r.details(), head.hash(), hash),
                details);
    }

    @Override
    @Transactional(readOnly = true)
    public AuditPage search(AuditQuery query) {
        return store.search(query);
    }

    @Override
    @Transactional(readOnly = true)
    public ChainVerification verify() {
        String prevHash = GENESIS_HASH;
        long expectedSeq = 1;
        long checked = 0;
        while (true) {
            var batch = store.chainAfter(expectedSeq - 1, VERIFY_BATCH);
            for (StoredEvent stored : batch) {
                AuditEvent e = stored.event();
                if (e.seq() != expectedSeq) {
                    return ChainVerification.broken(checked, expectedSeq, "event " + expectedSeq + " is missing");
                }
                if (!e.prevHash().equals(prevHash)) {
                    return ChainVerification.broken(checked, e.seq(),
                            "event " + e.seq() + " does not link to the hash of event " + (e.seq() - 1));
                }
                String recomputed = chainHash.link(prevHash, e.seq(), e.eventId(), e.occurredAt(), e.actor(),
                        e.sourceIp(), e.action(), e.target(), e.outcome(), stored.detailsJson());
                if (!recomputed.equals(e.hash())) {
                    return ChainVerification.broken(checked, e.seq(),
                            "event " + e.seq() + " was altered: its content no longer matches its hash");
                }
                prevHash = e.hash();
                expectedSeq++;
                checked++;
            }
            if (batch.size() < VERIFY_BATCH) {
                break;
            }
        }
        Head head = store.head();
        if (head.seq() != checked || !head.hash().equals(prevHash)) {
            return ChainVerification.broken(checked, checked + 1,
                    "the chain head names event " + head.seq() + " but the log ends at event " + checked);
        }
        return ChainVerification.intact(checked);
    }

}
