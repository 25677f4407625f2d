package dev.certplane.probes.internal;

import dev.certplane.pki.TrustAnchors;

import org.springframework.stereotype.Component;

/** The JDK's default trust anchors, indexed once: every probe's chain may end at one of them. */
@Component
class JdkRoots {

    private final Anchors anchors;

    JdkRoots() {
        this.anchors = Anchors.of(TrustAnchors.jdkDefaults());
    }

    Anchors anchors() {
        return anchors;
    }
}
