package dev.certplane.issuance;

/**
 * Published by an issuer in the transaction that records a certificate it signed, so that the inventory
 * learns of every certificate through the event outbox, even if the process stops right after signing.
 * PEM text rather than certificate objects, because the outbox stores events as JSON.
 *
 * @param chainPem the leaf first, then the intermediates
 * @param rootPem the trust anchor the chain leads to
 * @param requestedBy who asked, such as {@code acme-account:<id>}
 */
public record CertificateIssued(String chainPem, String rootPem, String issuer, String profile, String requestedBy) {
}
