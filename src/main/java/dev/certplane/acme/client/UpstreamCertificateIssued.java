package dev.certplane.acme.client;

/**
 * An upstream order finished: the external CA issued {@code chainPem} (leaf first) for the CSR of the order
 * named by {@code reference}. Published in the transaction that records the workflow's step.
 */
public record UpstreamCertificateIssued(String reference, String workflowId, String chainPem, String issuerName) {
}
