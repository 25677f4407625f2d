package dev.certplane.audit;

/**
 * The result of walking the audit hash chain.
 *
 * @param firstBrokenSeq the sequence number of the first event whose link does not hold, or null when intact
 */
public record ChainVerification(boolean intact, long checkedEvents, Long firstBrokenSeq, String reason) {

    public static ChainVerification intact(long checked) {
        return new ChainVerification(true, checked, null, null);
    }

    public static ChainVerification broken(long checked, long seq, String reason) {
        return new ChainVerification(false, checked, seq, reason);
    }
}
