package dev.certplane.probes.internal;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a target's endpoint should serve: the managed certificate's versions, which of them is current, and the
 * certificates a complete chain may end at.
 *
 * @param versionsByFingerprint every version's number by its SHA-256 fingerprint
 * @param currentVersion {@code null} before the first issuance
 * @param anchors the JDK's roots and the top of the current version's chain as the inventory has it (Certplane's
 *     root, or the last CA certificate the inventory knows of an external CA's chain)
 */
record Expectation(String managedCertificateId, String managedCertificateName, Map<String, Integer> versionsByFingerprint,
        @Nullable Integer currentVersion, Anchors anchors) {

    Expectation {
        versionsByFingerprint = Map.copyOf(versionsByFingerprint);
    }
}
