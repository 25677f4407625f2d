package dev.certplane.probes.internal;

import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import dev.certplane.pki.CertificateFacts;

import org.jspecify.annotations.Nullable;

/**
 * Certificates a served chain may end at, indexed by subject. A chain is complete when it reaches one of them (or a
 * self-signed root); the same set is what PKIX validation trusts. Issuers are matched by name and, when both sides
 * carry them, key identifiers (RFC 5280 4.2.1.1), without checking signatures: completeness is about what the server
 * sends, and PKIX checks the signatures when it decides trust.
 */
final class Anchors {

    private record Entry(X509Certificate certificate, @Nullable String subjectKeyId) {
    }

    private final Map<X500Principal, List<Entry>> bySubject;
    private final Set<TrustAnchor> trustAnchors;

    private Anchors(Map<X500Principal, List<Entry>> bySubject, Set<TrustAnchor> trustAnchors) {
        this.bySubject = bySubject;
        this.trustAnchors = trustAnchors;
    }

    static Anchors of(List<X509Certificate> certificates) {
        return new Anchors(Map.of(), Set.of()).with(certificates);
    }

    /** These anchors and {@code more}. */
    Anchors with(List<X509Certificate> more) {
        Map<X500Principal, List<Entry>> index = new HashMap<>(bySubject);
        Set<TrustAnchor> anchors = new HashSet<>(trustAnchors);
        for (X509Certificate certificate : more) {
            List<Entry> entries = new ArrayList<>(index.getOrDefault(certificate.getSubjectX500Principal(), List.of()));
            if (entries.stream().noneMatch(e -> e.certificate().equals(certificate))) {
                entries.add(new Entry(certificate, CertificateFacts.of(certificate).subjectKeyId()));
                index.put(certificate.getSubjectX500Principal(), List.copyOf(entries));
                anchors.add(new TrustAnchor(certificate, null));
            }
        }
        return new Anchors(Map.copyOf(index), Set.copyOf(anchors));
    }

    boolean contains(X509Certificate certificate) {
        return bySubject.getOrDefault(certificate.getSubjectX500Principal(), List.of()).stream()
                .anyMatch(e -> e.certificate().equals(certificate));
    }

    /** Whether one of the anchors issued {@code certificate}, by name and key identifier. */
    boolean issued(X509Certificate certificate, @Nullable String authorityKeyId) {
        return bySubject.getOrDefault(certificate.getIssuerX500Principal(), List.of()).stream()
                .anyMatch(e -> keyIdsAgree(e.subjectKeyId(), authorityKeyId));
    }

    Set<TrustAnchor> trustAnchors() {
        return trustAnchors;
    }

    /** Key identifiers only rule a candidate out when both are present and differ. */
    static boolean keyIdsAgree(@Nullable String subjectKeyId, @Nullable String authorityKeyId) {
        return subjectKeyId == null || authorityKeyId == null || Objects.equals(subjectKeyId, authorityKeyId);
    }
}
