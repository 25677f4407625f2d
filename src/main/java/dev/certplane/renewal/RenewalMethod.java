package dev.certplane.renewal;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a policy renews: through an ACME issuer's workflow, from the built-in CA, or not at all ({@code manual}
 * tracks only, {@code none} disables dispatch).
 */
public enum RenewalMethod {
    ACME, INTERNAL, MANUAL, NONE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether Certplane can run a renewal of this method itself. */
    public boolean dispatches() {
        return this == ACME || this == INTERNAL;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static RenewalMethod parse(String text) {
        if (text.equals("ad_cs")) {
            throw new IllegalArgumentException("method 'ad_cs' is reserved for the AD CS connector, which does not"
                    + " exist yet; use acme, internal, manual or none");
        }
        return Arrays.stream(values()).filter(m -> m.wire().equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("method must be one of acme, internal, manual, none"
                        + " (got '" + text + "')"));
    }
}
