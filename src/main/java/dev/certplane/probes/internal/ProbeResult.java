package dev.certplane.probes.internal;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One probe of a target: what the endpoint served and how it was classified.
 *
 * @param findings every problem found, in words, worst first; empty for {@code ok}
 * @param error why there was no usable answer ({@code unreachable} only)
 * @param ocspStatus what the stapled OCSP response says of the leaf ({@code good}, {@code revoked},
 *     {@code unknown}) or why it could not be read; {@code null} when nothing was stapled
 * @param trusted whether a client trusting Certplane's CA and the JDK's roots would accept the chain for the name
 *     (recorded, never enforced)
 * @param servedVersion the version of the expected managed certificate that was served, if it was one
 * @param expectedVersion the managed certificate's current version at the time
 * @param chain SHA-256 fingerprints of the served certificates, as sent (leaf first)
 */
public record ProbeResult(String id, String targetId, Instant probedAt, ProbeCause cause, ProbeStatus status,
        List<String> findings, @Nullable String error, @Nullable String protocol, @Nullable String cipherSuite,
        boolean ocspStapled, @Nullable String ocspStatus, boolean trusted, @Nullable String trustProblem,
        @Nullable String leafFingerprint, @Nullable String leafSubject, @Nullable Instant leafNotAfter,
        @Nullable Integer servedVersion, @Nullable Integer expectedVersion, List<String> chain, int durationMs) {

    public ProbeResult {
        findings = List.copyOf(findings);
        chain = List.copyOf(chain);
    }
}
