package dev.certplane.acme.client;

/** One identifier of a workflow's order and the challenge chosen to prove it ({@code dns-01} or {@code http-01}). */
public record WorkflowTarget(String identifier, String challenge) {
}
