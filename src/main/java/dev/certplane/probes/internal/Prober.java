package dev.certplane.probes.internal;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.certplane.handshake.Handshake;
import dev.certplane.handshake.TlsNetwork;
import dev.certplane.inventory.CertificateVersion;
import dev.certplane.inventory.Inventory;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.inventory.Sighting;
import dev.certplane.inventory.StoredCertificate;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.CertificateFacts;
import dev.certplane.pki.Pem;
import dev.certplane.probes.internal.Classifier.Classification;
import dev.certplane.shared.Ids;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Probes targets: the handshake and its classification outside any transaction, then {@link ProbeRecorder} records
 * the result in one. What the managed certificate's versions are is read once per managed certificate for a batch.
 */
@Component
class Prober {

    private static final Logger log = LoggerFactory.getLogger(Prober.class);

    private final TlsNetwork network;
    private final ProbeRecorder recorder;
    private final ManagedCertificates certificates;
    private final Inventory inventory;
    private final JdkRoots roots;
    private final ProbeWorkers workers;
    private final TlsNetwork.Timeouts timeouts;
    private final Clock clock;

    Prober(TlsNetwork network, ProbeRecorder recorder, ManagedCertificates certificates, Inventory inventory,
            JdkRoots roots, ProbeWorkers workers, ProbeSettings settings, Clock clock) {
        this.network = network;
        this.recorder = recorder;
        this.certificates = certificates;
        this.inventory = inventory;
        this.roots = roots;
        this.workers = workers;
        this.timeouts = new TlsNetwork.Timeouts(settings.connectTimeout(), settings.handshakeTimeout());
        this.clock = clock;
    }

    /**
     * Probes one target on the caller's thread.
     *
     * @return empty if the target was deleted meanwhile
     */
    Optional<ProbeResult> probe(ProbeTarget target, ProbeCause cause) {
        ProbeTargetDraft spec = target.spec();
        Observed observed = observe(target, expectation(spec.managedCertificateId()), cause);
        return recorder.record(target.id(), observed.result(), observed.sighting());
    }

    /**
     * Probes the targets on the workers, at most {@code certplane.probes.concurrency} at a time. A target whose probe
     * cannot be recorded (it was deleted meanwhile, the database failed) is left out, so one does not stop the rest.
     */
    List<ProbeResult> probeAll(List<ProbeTarget> targets, ProbeCause cause) {
        Map<String, Expectation> expectations = new HashMap<>();
        for (ProbeTarget target : targets) {
            expectations.computeIfAbsent(target.spec().managedCertificateId(), this::expectation);
        }
        return workers.map(targets, target -> {
            try {
                Observed observed = observe(target, expectations.get(target.spec().managedCertificateId()), cause);
                return recorder.record(target.id(), observed.result(), observed.sighting());
            } catch (RuntimeException e) {
                log.warn("the probe of target {} could not be recorded", target.id(), e);
                return Optional.<ProbeResult>empty();
            }
        }).stream().flatMap(Optional::stream).toList();
    }

    private record Observed(ProbeResult result, Sighting sighting) {
    }

    private Observed observe(ProbeTarget target, Expectation expected, ProbeCause cause) {
        long started = System.nanoTime();
        ProbeTargetDraft spec = target.spec();
        Handshake handshake = null;
        String failure;
        try {
            handshake = network.handshake(spec.endpoint(), timeouts);
            failure = handshake.chain().isEmpty() ? "the server presented no certificate" : null;
        } catch (IOException | RuntimeException e) {
            failure = TlsNetwork.describe(e);
        }
        Sighting sighting = failure == null ? new Sighting(spec.endpoint(), handshake.chain(), null).readable()
                : new Sighting(spec.endpoint(), List.of(), failure);
        Instant now = clock.instant();
        int millis = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String id = Ids.random();
        if (!sighting.answered()) {
            Classification unreachable = Classifier.unreachable(sighting.failure());
            return new Observed(new ProbeResult(id, target.id(), now, cause, unreachable.status(),
                    unreachable.findings(), sighting.failure(), handshake == null ? null : handshake.protocol(),
                    handshake == null ? null : handshake.cipherSuite(), false, null, false, unreachable.trustProblem(),
                    null, null, null, null, expected.currentVersion(), List.of(), millis), sighting);
        }
        Classification found = Classifier.classify(spec, handshake, expected, now);
        CertificateFacts leaf = CertificateFacts.of(handshake.chain().get(0));
        return new Observed(new ProbeResult(id, target.id(), now, cause, found.status(), found.findings(), null,
                handshake.protocol(), handshake.cipherSuite(), handshake.stapledOcspResponse() != null,
                found.ocspStatus(), found.trusted(), found.trustProblem(), leaf.sha256(), leaf.subject(),
                leaf.notAfter(), found.servedVersion(), expected.currentVersion(),
                handshake.chain().stream().map(Certificates::sha256Fingerprint).toList(), millis), sighting);
    }

    /** The managed certificate's versions and the anchors its current version's chain leads to. */
    private Expectation expectation(String managedCertificateId) {
        Optional<ManagedCertificate> managed = certificates.find(managedCertificateId);
        List<CertificateVersion> versions = certificates.versions(managedCertificateId);
        Map<String, Integer> byFingerprint = new HashMap<>();
        versions.forEach(v -> byFingerprint.put(v.fingerprintSha256(), v.version()));
        Integer current = managed.map(ManagedCertificate::currentVersion).orElse(null);
        Anchors anchors = roots.anchors();
        Optional<CertificateVersion> currentVersion = versions.stream()
                .filter(v -> current != null && v.version() == current).findFirst();
        if (currentVersion.isPresent()) {
            List<StoredCertificate> chain = inventory.chain(currentVersion.get().certificateId());
            if (chain.size() > 1 && chain.get(chain.size() - 1).ca()) {
                X509Certificate top = Pem.decodeCertificate(chain.get(chain.size() - 1).pem());
                anchors = anchors.with(List.of(top));
            }
        }
        return new Expectation(managedCertificateId, managed.map(ManagedCertificate::name).orElse(managedCertificateId),
                byFingerprint, current, anchors);
    }
}
