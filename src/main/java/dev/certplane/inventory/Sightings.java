package dev.certplane.inventory;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.certplane.handshake.TlsEndpoint;
import dev.certplane.inventory.internal.store.DiscoveryStore;
import dev.certplane.inventory.internal.store.DiscoveryStore.LiveEndpoint;
import dev.certplane.pki.Certificates;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what one look at the endpoints of a source found into the inventory (a discovery run, a probe), touching
 * only that source's rows: every chain served is recorded and listed under the source, each endpoint that served a
 * leaf gets a fresh row, the source's other endpoint rows become stale, and certificates the source no longer sees
 * lose its listing (and are stale when no other source lists them).
 */
@Service
public class Sightings {

    /** How certificates first found by looking at an endpoint arrived. */
    public static final String ORIGIN = "discovered";

    private final Inventory inventory;
    private final DiscoveryStore store;

    Sightings(Inventory inventory, DiscoveryStore store) {
        this.inventory = inventory;
        this.store = store;
    }

    /** What recording a source's sightings changed. */
    public record Outcome(int handshakesOk, int certificatesSeen, int certificatesAdded, int endpointsStale) {
    }

    /** What a source saw in one look and what it had listed before, and which of the old rows go. */
    record Plan(List<LiveEndpoint> staleEndpoints, List<String> droppedCertificates) {
    }

    /**
     * The source's endpoint rows that are not among those served now, and the certificates it lists that were
     * not seen now. An endpoint that served another certificate, did not answer, or is no longer looked at is no
     * longer seen by this source.
     */
    static Plan plan(Set<LiveEndpoint> served, Set<String> seenCertificates, List<LiveEndpoint> live,
            List<String> listed) {
        return new Plan(live.stream().filter(row -> !served.contains(row)).toList(),
                listed.stream().filter(id -> !seenCertificates.contains(id)).distinct().toList());
    }

    /**
     * Records everything the source saw this time, in the caller's transaction. An empty list forgets all the
     * source saw before (its endpoint rows become stale), as when what it looked at is deleted.
     *
     * @param source such as {@code discovery:<target>} or {@code probe:<target>}
     */
    @Transactional
    public Outcome record(String source, List<Sighting> sightings, Instant now) {
        Map<String, String> idsByFingerprint = new HashMap<>();
        Set<String> considered = new HashSet<>();
        Set<LiveEndpoint> served = new LinkedHashSet<>();
        int ok = 0;
        int added = 0;
        for (Sighting sighting : sightings) {
            if (!sighting.answered()) {
                continue;
            }
            ok++;
            List<String> fingerprints = new ArrayList<>();
            for (X509Certificate certificate : sighting.chain()) {
                String fingerprint = Certificates.sha256Fingerprint(certificate);
                fingerprints.add(fingerprint);
                if (considered.add(fingerprint) && inventory.findByFingerprint(fingerprint).isEmpty()) {
                    added++;
                }
            }
            String leafId = inventory.record(sighting.chain(), ORIGIN, source, null).certificate().id();
            for (String fingerprint : fingerprints) {
                idsByFingerprint.computeIfAbsent(fingerprint,
                        fp -> inventory.findByFingerprint(fp).orElseThrow().id());
            }
            TlsEndpoint endpoint = sighting.endpoint();
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
