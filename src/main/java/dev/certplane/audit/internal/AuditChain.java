package dev.certplane.audit.internal;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import dev.certplane.audit.AuditEvent;
import dev.certplane.audit.AuditLog;
import dev.certplane.audit.AuditPage;
import dev.certplane.audit.AuditQuery;
import dev.certplane.audit.ChainVerification;
import dev.certplane.audit.internal.store.AuditStore;
import dev.certplane.audit.internal.store.AuditStore.Head;
import dev.certplane.audit.internal.store.AuditStore.Pending;
import dev.certplane.audit.internal.store.AuditStore.StoredEvent;
import dev.certplane.secrets.SecretBox;
import dev.certplane.shared.AuditRecord;

import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends audit records to the chain and verifies it. A record is written to {@code audit_pending} by the
 * transaction that published it, so it commits or rolls back with the change it describes; a scheduled run
 * on every replica then links pending records into the chain in batches under the chain head lock, so
 * chaining costs one short transaction per batch instead of one per record. Pending records a crash left
 * behind are chained by the next run.
 */
@Service
class AuditChain implements AuditLog {

    private static final int VERIFY_BATCH = 1000;
    /** The hash the first event links to (seeded into audit_chain_head by the migration). */
    private static final String GENESIS_HASH = "0".repeat(64);

    private static final int BATCH = 500;

    private final AuditStore store;
    private final ChainHash chainHash;
    private final TransactionTemplate transaction;
    private final Clock clock;

    AuditChain(AuditStore store, SecretBox secrets, PlatformTransactionManager transactions, Clock clock) {
        this.store = store;
        this.chainHash = new ChainHash(secrets.deriveKey("audit-chain"));
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Runs synchronously in the publisher's transaction (or on its own if there is none). */
    @EventListener
    void on(AuditRecord r) {
        // The database keeps microseconds; store (and later hash) what will be read back.
        store.enqueue(new Pending(r.id(), r.occurredAt().truncatedTo(ChronoUnit.MICROS), r.actor(), r.sourceIp(),
                r.action(), r.target(), r.outcome().name(), store.detailsJson(r.details())));
    }

    @Scheduled(fixedDelayString = "${certplane.audit.chain-interval:250ms}")
    void chainPending() {
        while (store.hasPending()) {
            Integer chained = transaction.execute(status -> chainBatch());
            if (chained == null || chained < BATCH) {
                return;
            }
        }
    }

    /** Links the oldest pending records into the chain; the head lock makes replicas take turns. */
    private int chainBatch() {
        Head head = store.lockHead();
        List<Pending> batch = store.pending(BATCH);
        var recordedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        for (Pending p : batch) {
            long seq = head.seq() + 1;
            String hash = chainHash.link(head.hash(), seq, p.eventId(), p.occurredAt(), p.actor(), p.sourceIp(),
                    p.action(), p.target(), p.outcome(), p.detailsJson());
            store.append(new AuditEvent(seq, p.eventId(), p.occurredAt(), recordedAt, p.actor(), p.sourceIp(),
                    p.action(), p.target(), p.outcome(), Map.of(), head.hash(), hash), p.detailsJson());
            head = new Head(seq, hash);
        }
        if (!batch.isEmpty()) {
            store.removePending(batch.stream().map(Pending::eventId).toList());
            store.moveHead(head);
        }
        return batch.size();
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
