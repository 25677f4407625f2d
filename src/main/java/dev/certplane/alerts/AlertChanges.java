package dev.certplane.alerts;

/** What one call did: alerts opened, updated (severity, title, message or details changed) and resolved. */
public record AlertChanges(int opened, int updated, int resolved) {

    public static final AlertChanges NONE = new AlertChanges(0, 0, 0);

    public AlertChanges plus(AlertChanges other) {
        return new AlertChanges(opened + other.opened, updated + other.updated, resolved + other.resolved);
    }

    /** Whether anything was opened or changed. */
    public boolean any() {
        return opened + updated + resolved > 0;
    }
}
