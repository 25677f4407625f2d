package dev.certplane.renewal;

import java.time.Instant;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * An approval gate a renewal waits on: {@code pending}, then {@code approved} or {@code rejected} by someone other
 * than the requester; {@code cancelled} when the certificate was renewed some other way first.
 */
public record ChangeRecord(String id, String attemptId, String managedCertificateId, String summary, String state,
        String requestedBy, @Nullable String decidedBy, @Nullable Instant decidedAt, @Nullable String decisionNote,
        Instant createdAt) {

    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String CANCELLED = "cancelled";

    /** A short number for people, such as {@code CHG-3F9A2C1B}. */
    public String number() {
        return "CHG-" + id.substring(0, Math.min(8, id.length())).toUpperCase(Locale.ROOT);
    }
}
