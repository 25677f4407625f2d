package dev.certplane.acme.client;

import org.jspecify.annotations.Nullable;

/**
 * One identifier of a workflow's order and the challenge chosen to prove it ({@code dns-01} or {@code http-01}).
 *
 * @param http01 for http-01: how the answer is published (null in workflows of earlier versions: the responder)
 */
public record WorkflowTarget(String identifier, String challenge, @Nullable Http01Method http01) {

    public WorkflowTarget(String identifier, String challenge) {
        this(identifier, challenge, null);
    }
}
