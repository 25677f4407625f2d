package dev.certplane.probes.internal;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.certplane.handshake.Handshake;
import dev.certplane.pki.CertificateFacts;
import dev.certplane.pki.HostnameMatch;
import dev.certplane.pki.PkiException;
import dev.certplane.pki.StapledOcsp;

import org.jspecify.annotations.Nullable;

/**
 * Classifies what an endpoint served against what it should serve. Pure: no I/O, time passed in. Every problem
 * found becomes a finding; the status is the worst of them in {@link ProbeStatus} order.
 */
final class Classifier {

    private Classifier() {
    }

    /**
     * @param servedVersion the version of the expected managed certificate that was served, if it was one
     * @param ocspStatus the stapled response's status for the leaf, or why it could not be read; {@code null} when
     *     nothing was stapled
     */
    record Classification(ProbeStatus status, List<String> findings, boolean trusted, @Nullable String trustProblem,
            @Nullable Integer servedVersion, @Nullable String ocspStatus) {

        Classification {
            findings = List.copyOf(findings);
        }
    }

    private record Finding(ProbeStatus status, String text) {
    }

    static Classification unreachable(String error) {
        return new Classification(ProbeStatus.UNREACHABLE, List.of(error), false, error, null, null);
    }

    /** @param handshake with a chain of at least one certificate that {@link CertificateFacts} can read */
    static Classification classify(ProbeTargetDraft spec, Handshake handshake, Expectation expected, Instant now) {
        List<X509Certificate> chain = handshake.chain();
        X509Certificate leaf = chain.get(0);
        CertificateFacts facts = CertificateFacts.of(leaf);
        Integer served = expected.versionsByFingerprint().get(facts.sha256());
        Integer current = expected.currentVersion();
        String managed = "managed certificate '" + expected.managedCertificateName() + "'";
        List<Finding> found = new ArrayList<>();
        if (served == null) {
            found.add(new Finding(ProbeStatus.MISMATCH, current == null
                    ? "serves " + describe(facts) + ", but " + managed + " has no version yet"
                    : "serves " + describe(facts) + ", which is not a version of " + managed + " (version " + current
                            + " is current)"));
        } else if (!served.equals(current)) {
            found.add(new Finding(ProbeStatus.STALE, "serves version " + served + " of " + managed + ", but version "
                    + current + " is current: the server has not loaded it yet (reload it)"));
        }
        if (now.isAfter(facts.notAfter())) {
            found.add(new Finding(ProbeStatus.EXPIRED, "the served certificate expired at " + facts.notAfter()));
        } else if (now.isBefore(facts.notBefore())) {
            found.add(new Finding(ProbeStatus.EXPIRED, "the served certificate is not valid before " + facts.notBefore()));
        }
        boolean nameCovered = HostnameMatch.covers(facts.dnsNames(), facts.ipAddresses(), spec.name());
        if (!nameCovered) {
            found.add(new Finding(ProbeStatus.HOSTNAME_MISMATCH, "the served certificate does not cover " + spec.name()
                    + "; it covers " + names(facts)));
        }
        Path path = path(chain, expected.anchors());
        if (path.gap() != null) {
            found.add(new Finding(ProbeStatus.INCOMPLETE_CHAIN, path.gap()));
        }
        found.sort(Comparator.comparing(Finding::status));
        String trustProblem = pkixProblem(path.certificates(), expected.anchors(), now);
        if (trustProblem == null && !nameCovered) {
            trustProblem = "the certificate does not cover " + spec.name();
        }
        return new Classification(found.isEmpty() ? ProbeStatus.OK : found.get(0).status(),
                found.stream().map(Finding::text).toList(), trustProblem == null, trustProblem, served,
                ocspStatus(handshake, leaf));
    }

    /**
     * The served certificates from the leaf up, each followed by the one that issued it, until one is self-issued or
     * issued by an anchor; {@code gap} says where that walk stopped short.
     */
    private record Path(List<X509Certificate> certificates, @Nullable String gap) {
    }

    private static Path path(List<X509Certificate> served, Anchors anchors) {
        List<X509Certificate> path = new ArrayList<>();
        Set<X509Certificate> used = new HashSet<>();
        X509Certificate current = served.get(0);
        while (true) {
            CertificateFacts facts = CertificateFacts.of(current);
            if (anchors.contains(current)) {
                return new Path(path, null);
            }
            path.add(current);
            used.add(current);
            if (facts.selfIssued() || anchors.issued(current, facts.authorityKeyId())) {
                return new Path(path, null);
            }
            X509Certificate child = current;
            X509Certificate next = served.stream().filter(c -> !used.contains(c))
                    .filter(c -> c.getSubjectX500Principal().equals(child.getIssuerX500Principal()))
                    .filter(c -> Anchors.keyIdsAgree(CertificateFacts.of(c).subjectKeyId(), facts.authorityKeyId()))
                    .findFirst().orElse(null);
            if (next == null) {
                return new Path(path, "the server does not send the issuer of " + subject(facts) + " ("
                        + facts.issuer() + "), and it is not a trust anchor: clients that do not have it cannot build"
                        + " the chain");
            }
            current = next;
        }
    }

    /** Why PKIX (RFC 5280 6) does not accept the path at {@code now}, or {@code null} when it does. */
    private static @Nullable String pkixProblem(List<X509Certificate> path, Anchors anchors, Instant now) {
        if (path.isEmpty()) {
            return null; // the server sends a trust anchor itself as its certificate
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors.trustAnchors());
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return null;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            String message = e.getMessage();
            Throwable cause = e.getCause();
            if (cause != null && cause.getMessage() != null && (message == null || !message.contains(cause.getMessage()))) {
                message = (message == null ? "" : message + ": ") + cause.getMessage();
            }
            return message == null ? e.getClass().getSimpleName() : message;
        }
    }

    private static @Nullable String ocspStatus(Handshake handshake, X509Certificate leaf) {
        byte[] stapled = handshake.stapledOcspResponse();
        if (stapled == null) {
            return null;
        }
        try {
            return StapledOcsp.status(stapled, leaf.getSerialNumber()).wire();
        } catch (PkiException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static String describe(CertificateFacts facts) {
        return subject(facts) + " (SHA-256 " + facts.sha256().substring(0, 16) + "...)";
    }

    private static String subject(CertificateFacts facts) {
        if (!facts.subjectCommonName().isEmpty()) {
            return facts.subjectCommonName();
        }
        return facts.dnsNames().isEmpty() ? facts.subject() : facts.dnsNames().get(0);
    }

    private static String names(CertificateFacts facts) {
        List<String> names = new ArrayList<>(facts.dnsNames());
        names.addAll(facts.ipAddresses());
        return names.isEmpty() ? "no names (no subjectAltName)" : String.join(", ", names);
    }
}
