package dev.certplane.audit;

import java.util.List;

/** A page of audit events, newest first. */
public record AuditPage(List<AuditEvent> items, int page, int size, long total) {
}
