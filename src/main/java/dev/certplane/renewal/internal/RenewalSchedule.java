package dev.certplane.renewal.internal;

import java.time.Instant;

import dev.certplane.acme.client.AcmeWorkflows;
import dev.certplane.inventory.CertificateVersion;
import dev.certplane.renewal.RenewalPolicy;
import dev.certplane.renewal.WindowMode;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** When a version enters its renewal window under a policy, with the CA's suggested window when it gave one. */
@Component
public class RenewalSchedule {

    private final AcmeWorkflows workflows;

    RenewalSchedule(AcmeWorkflows workflows) {
        this.workflows = workflows;
    }

    public Instant windowStart(RenewalPolicy policy, CertificateVersion version) {
        return RenewalWindows.start(policy, version.notBefore(), version.notAfter(), ariStart(policy, version));
    }

    /** The start of the CA's suggested window (RFC 9773 4.2) for a version an ACME workflow obtained. */
    private @Nullable Instant ariStart(RenewalPolicy policy, CertificateVersion version) {
        if (policy.window() != WindowMode.ARI || !version.reference().startsWith(AttemptRunner.WORKFLOW_PREFIX)) {
            return null;
        }
        return workflows.find(version.reference().substring(AttemptRunner.WORKFLOW_PREFIX.length()))
                .map(d -> d.workflow().renewalWindowStart()).orElse(null);
    }
}
