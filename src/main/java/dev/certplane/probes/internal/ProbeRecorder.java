package dev.certplane.probes.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.alerts.AlertDraft;
import dev.certplane.alerts.AlertSeverity;
import dev.certplane.alerts.Alerts;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.inventory.Sighting;
import dev.certplane.inventory.Sightings;
import dev.certplane.probes.internal.Confirmation.State;
import dev.certplane.probes.internal.store.ConfirmationStore;
import dev.certplane.probes.internal.store.ConfirmationStore.Pending;
import dev.certplane.probes.internal.store.ProbeStore;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Outcome;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records one probe in one transaction: the served chain in the inventory (source {@code probe:<target>}), the
 * result in the history, the target's status (audited when it changes), its drift alert, and what the probe means
 * for the confirmations waiting on the endpoint.
 *
 * <p>Drift alerts are opened by scheduled and manual probes only. Confirmation probes run right after a new version
 * or a delivery, when an endpoint that has not reloaded yet is the normal course of things: the confirmation itself
 * raises an alert if the window ends before the endpoint serves the version. Any probe that finds the endpoint
 * {@code ok} resolves both alerts.
 */
@Component
class ProbeRecorder {

    static final String DRIFT_KIND = "probe_drift";
    static final String CONFIRMATION_KIND = "probe_confirmation";

    private final ProbeStore store;
    private final ConfirmationStore confirmations;
    private final Sightings sightings;
    private final ManagedCertificates certificates;
    private final Alerts alerts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ProbeRecorder(ProbeStore store, ConfirmationStore confirmations, Sightings sightings,
            ManagedCertificates certificates, Alerts alerts, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.confirmations = confirmations;
        this.sightings = sightings;
        this.certificates = certificates;
        this.alerts = alerts;
        this.events = events;
        this.clock = clock;
    }

    static String driftKey(String targetId) {
        return "probe-drift:" + targetId;
    }

    static String confirmationKey(String targetId) {
        return "probe-confirmation:" + targetId;
    }

    /** @return empty if the target was deleted while it was probed */
    @Transactional
    Optional<ProbeResult> record(String targetId, ProbeResult result, Sighting sighting) {
        Optional<ProbeTarget> locked = store.lockTarget(targetId);
        if (locked.isEmpty()) {
            return Optional.empty();
        }
        ProbeTarget target = locked.get();
        sightings.record(target.source(), List.of(sighting), result.probedAt());
        store.insertResult(result);
        boolean changed = target.status() != result.status();
        store.probed(targetId, result.status(), changed || target.statusSince() == null ? result.probedAt()
                : target.statusSince(), result.id(), result.probedAt());
        String managedName = certificates.find(target.spec().managedCertificateId()).map(ManagedCertificate::name)
                .orElse(target.spec().managedCertificateId());
        if (result.cause() == ProbeCause.MANUAL) {
            events.publishEvent(AuditRecord.of(clock, "probe-target.probed", "probe-target:" + targetId,
                    Outcome.SUCCESS, Map.of("result", result.id(), "status", result.status().wire())));
        }
        if (changed) {
            events.publishEvent(AuditRecord.of(clock, "probe-target.status-changed", "probe-target:" + targetId,
                    Outcome.SUCCESS, Map.of("from", target.status() == null ? "none" : target.status().wire(),
                            "to", result.status().wire(), "result", result.id(), "cause", result.cause().wire(),
                            "endpoint", target.spec().describe(), "managedCertificate",
                            target.spec().managedCertificateId())));
        }
        if (result.status() == ProbeStatus.OK) {
            String resolution = "the endpoint serves the current version again (probe result " + result.id() + ")";
            alerts.resolveAll(List.of(driftKey(targetId), confirmationKey(targetId)), resolution);
        } else if (result.cause() != ProbeCause.CONFIRMATION) {
            alerts.openAll(List.of(drift(target, result, managedName)));
        }
        for (Pending pending : confirmations.pendingFor(targetId)) {
            advance(target, pending, result, managedName);
        }
        return Optional.of(result);
    }

    /** A pending part of a confirmation after this probe: confirmed, superseded, given up at the deadline, or not yet. */
    private void advance(ProbeTarget target, Pending pending, ProbeResult result, String managedName) {
        String endpoint = pending.endpoint().address();
        Map<String, String> details = new HashMap<>();
        details.put("version", String.valueOf(pending.version()));
        details.put("endpoint", endpoint);
        if (pending.endpoint().sni() != null) {
            details.put("sni", pending.endpoint().sni());
        }
        details.put("probeTarget", target.id());
        details.put("confirmation", pending.confirmationId());
        details.put("cause", pending.cause());
        details.put("reference", pending.reference());
        details.put("result", result.id());
        String audited = "managed-certificate:" + pending.managedCertificateId();
        if (pending.fingerprintSha256().equals(result.leafFingerprint())) {
            if (confirmations.conclude(pending.confirmationId(), target.id(), State.CONFIRMED, result.status(),
                    result.servedVersion(), result.probedAt())) {
                details.put("message", "version " + pending.version() + " confirmed served at " + endpoint + " at "
                        + result.probedAt());
                details.put("servedAt", result.probedAt().toString());
                events.publishEvent(AuditRecord.of(clock, "probe.confirmation.confirmed", audited, Outcome.SUCCESS,
                        details));
                alerts.resolve(confirmationKey(target.id()), "version " + pending.version() + " is served at "
                        + endpoint + " (probe result " + result.id() + ")");
            }
        } else if (result.servedVersion() != null && result.servedVersion() > pending.version()) {
            if (confirmations.conclude(pending.confirmationId(), target.id(), State.SUPERSEDED, result.status(),
                    result.servedVersion(), result.probedAt())) {
                details.put("message", "version " + pending.version() + " superseded at " + endpoint + ": version "
                        + result.servedVersion() + " served at " + result.probedAt());
                events.publishEvent(AuditRecord.of(clock, "probe.confirmation.superseded", audited, Outcome.SUCCESS,
                        details));
            }
        } else if (!result.probedAt().isBefore(pending.deadline())) {
            if (confirmations.conclude(pending.confirmationId(), target.id(), State.UNCONFIRMED, result.status(),
                    result.servedVersion(), result.probedAt())) {
                String why = result.findings().isEmpty() ? result.status().wire() : result.findings().get(0);
                details.put("message", "version " + pending.version() + " not confirmed served at " + endpoint + " by "
                        + pending.deadline() + ": " + why);
                events.publishEvent(AuditRecord.of(clock, "probe.confirmation.unconfirmed", audited, Outcome.FAILURE,
                        details));
                alerts.openAll(List.of(new AlertDraft(confirmationKey(target.id()), CONFIRMATION_KIND,
                        AlertSeverity.HIGH, "probe-target:" + target.id(), "Version " + pending.version() + " of '"
                                + managedName + "' is not served at " + target.spec().describe(),
                        "After the " + pending.cause() + " of version " + pending.version() + ", "
                                + target.spec().describe() + " did not serve it by " + pending.deadline() + ": " + why,
                        Map.of("managedCertificate", pending.managedCertificateId(),
                                "version", String.valueOf(pending.version()), "endpoint", target.spec().describe(),
                                "lastStatus", result.status().wire()))));
            }
        } else {
            confirmations.attempted(pending.confirmationId(), target.id(), result.status(), result.servedVersion());
        }
    }

    private static AlertDraft drift(ProbeTarget target, ProbeResult result, String managedName) {
        String endpoint = target.spec().describe();
        String title = switch (result.status()) {
            case UNREACHABLE -> endpoint + " is unreachable";
            case MISMATCH -> endpoint + " serves a certificate that is not '" + managedName + "'";
            case STALE -> endpoint + " serves an older version of '" + managedName + "'";
            case EXPIRED -> endpoint + " serves a certificate outside its validity";
            case HOSTNAME_MISMATCH -> endpoint + " serves a certificate that does not cover " + target.spec().name();
            case INCOMPLETE_CHAIN -> endpoint + " does not send the intermediate certificates";
            case OK -> endpoint + " is ok";
        };
        Map<String, String> details = new HashMap<>();
        details.put("status", result.status().wire());
        details.put("endpoint", endpoint);
        details.put("managedCertificate", target.spec().managedCertificateId());
        if (result.leafFingerprint() != null) {
            details.put("servedFingerprint", result.leafFingerprint());
        }
        if (result.servedVersion() != null) {
            details.put("servedVersion", String.valueOf(result.servedVersion()));
        }
        if (result.expectedVersion() != null) {
            details.put("currentVersion", String.valueOf(result.expectedVersion()));
        }
        return new AlertDraft(driftKey(target.id()), DRIFT_KIND, result.status().severity(), "probe-target:"
                + target.id(), title, String.join("; ", result.findings()), details);
    }
}
