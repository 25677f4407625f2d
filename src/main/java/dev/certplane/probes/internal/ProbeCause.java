package dev.certplane.probes.internal;

import java.util.Locale;

/** Why a probe ran. */
public enum ProbeCause {
    /** The target's interval came round. */
    SCHEDULED,
    /** An operator asked ("probe now"). */
    MANUAL,
    /** A new version or a delivery is waiting to be seen served. */
    CONFIRMATION;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ProbeCause parse(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
