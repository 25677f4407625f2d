package dev.certplane.acme.client;

/** An upstream order ended without a certificate; {@code error} says where and why, in the CA's words. */
public record UpstreamCertificateFailed(String reference, String workflowId, String error) {
}
