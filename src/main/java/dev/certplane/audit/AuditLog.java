package dev.certplane.audit;

/**
 * Reads the audit log. Writing happens only by publishing {@link dev.certplane.shared.AuditRecord}
 * events; there is deliberately no write method here.
 */
public interface AuditLog {

    AuditPage search(AuditQuery query);

    /** Walks the whole chain and reports the first event whose hash or link does not hold. */
    ChainVerification verify();
}
