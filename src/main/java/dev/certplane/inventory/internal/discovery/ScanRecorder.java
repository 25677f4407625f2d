package dev.certplane.inventory.internal.discovery;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.certplane.inventory.Inventory;
import dev.certplane.inventory.internal.discovery.Scanner.Observation;
import dev.certplane.inventory.internal.store.DiscoveryStore;
import dev.certplane.inventory.internal.store.DiscoveryStore.LiveEndpoint;
import dev.certplane.pki.Certificates;

import org.springframework.stereotype.Component;

/**
 * Writes what one scan of a source found into the inventory, touching only that source's rows: every chain
 * served is recorded and listed under the source, each endpoint that served a leaf gets a fresh row, the
 * source's other endpoint rows become stale, and certificates the source no longer sees lose its listing (and
 * are stale when no other source lists them). Callers run it inside a transaction.
 */
@Component
class ScanRecorder {

    static final String ORIGIN = "discovered";

    private final Inventory inventory;
    private final DiscoveryStore store;

    ScanRecorder(Inventory inventory, DiscoveryStore store) {
        this.inventory = inventory;
        this.store = store;
    }

    /** What recording a scan changed. */
    record Outcome(int handshakesOk, int certificatesSeen, int certificatesAdded, int endpointsStale) {
    }

    /** What a source saw in one scan and what it had listed before, and which of the old rows go. */
    record Plan(List<LiveEndpoint> staleEndpoints, List<String> droppedCertificates) {
    }

    /**
     * The source's endpoint rows that are not among those served now, and the certificates it lists that were
     * not seen now. An endpoint that served another certificate, did not answer, or is no longer part of the
     * target is no longer seen by this source.
     */
    static Plan plan(Set<LiveEndpoint> served, Set<String> seenCertificates, List<LiveEndpoint> live,
            List<String> listed) {
        return new Plan(live.stream().filter(row -> !served.contains(row)).toList(),
                listed.stream().filter(id -> !seenCertificates.contains(id)).distinct().toList());
    }

    Outcome record(String source, List<Observation> observations, Instant now) {
        Map<String, String> idsByFingerprint = new HashMap<>();
        Set<String> considered = new HashSet<>();
        Set<LiveEndpoint> served = new LinkedHashSet<>();
        int ok = 0;
        int added = 0;
        for (Observation observation : observations) {
            if (!observation.answered()) {
                continue;
            }
            ok++;
            List<String> fingerprints = new ArrayList<>();
            for (X509Certificate certificate : observation.chain()) {
                String fingerprint = Certificates.sha256Fingerprint(certificate);
                fingerprints.add(fingerprint);
                if (considered.add(fingerprint) && inventory.findByFingerprint(fingerprint).isEmpty()) {
                    added++;
                }
            }
            String leafId = inventory.record(observation.chain(), ORIGIN, source, null).certificate().id();
            for (String fingerprint : fingerprints) {
                idsByFingerprint.computeIfAbsent(fingerprint,
                        fp -> inventory.findByFingerprint(fp).orElseThrow().id());
            }
            ScanEndpoint endpoint = observation.endpoint();
            String sni = endpoint.sni() == null ? "" : endpoint.sni();
            store.sawEndpoint(leafId, endpoint.host(), endpoint.port(), sni, source, now);
            served.add(new LiveEndpoint(leafId, endpoint.host(), endpoint.port(), sni));
        }
        Set<String> seen = new HashSet<>(idsByFingerprint.values());
        Plan plan = plan(served, seen, store.liveEndpoints(source), store.certificatesListedBy(source));
        for (LiveEndpoint stale : plan.staleEndpoints()) {
            store.endpointStale(stale, source, now);
        }
        for (String certificateId : plan.droppedCertificates()) {
            store.dropSource(certificateId, source, now);
        }
        return new Outcome(ok, seen.size(), added, plan.staleEndpoints().size());
    }
}
