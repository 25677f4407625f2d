package dev.certplane.inventory.internal;

import java.util.HashSet;
import java.util.Set;

import dev.certplane.pki.TrustAnchors;

import org.springframework.stereotype.Component;

/**
 * The subjects of the JDK's default trust anchors: a certificate issued by one of them is treated as
 * publicly trusted (for the 398-day rule) and its chain as complete even when the root is not in the
 * inventory.
 */
@Component
public class PublicRoots {

    private final Set<String> subjects = new HashSet<>();

    PublicRoots() {
        TrustAnchors.jdkDefaults().forEach(anchor -> subjects.add(anchor.getSubjectX500Principal().getName()));
    }

    public boolean isRoot(String subjectDn) {
        return subjects.contains(subjectDn);
    }
}
