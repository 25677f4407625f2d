package dev.certplane.alerts.internal.notify;

/**
 * A notification that did not arrive. The message is safe to store and show: it names the endpoint by scheme, host
 * and port only, never a secret.
 *
 * @param retryable whether trying again later may help (network errors, 5xx, 408, 429, SMTP 4xx)
 * @param remoteStatus the HTTP status or SMTP reply code the remote gave, 0 if it gave none
 */
public final class DeliveryFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final int remoteStatus;

    public DeliveryFailure(String message, boolean retryable, int remoteStatus) {
        super(message, null, false, false);
        this.retryable = retryable;
        this.remoteStatus = remoteStatus;
    }

    public boolean retryable() {
        return retryable;
    }

    public int remoteStatus() {
        return remoteStatus;
    }

    /** The remote's own words, cut short and without control characters. */
    static String snippet(String text) {
        String clean = text.replaceAll("[\\p{Cntrl}&&[^\\t]]+", " ").strip();
        return clean.length() <= 200 ? clean : clean.substring(0, 200) + "...";
    }
}
