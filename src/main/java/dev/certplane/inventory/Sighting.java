package dev.certplane.inventory;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.certplane.handshake.TlsEndpoint;
import dev.certplane.pki.CertificateFacts;

import org.jspecify.annotations.Nullable;

/** What one TLS endpoint served when a source looked: a chain, leaf first, or why there was none. */
public record Sighting(TlsEndpoint endpoint, List<X509Certificate> chain, @Nullable String failure) {

    public Sighting {
        chain = List.copyOf(chain);
    }

    public boolean answered() {
        return failure == null;
    }

    /**
     * This sighting, or one that did not answer if the inventory cannot parse the chain: one odd server must not
     * fail the recording of everything else a source saw.
     */
    public Sighting readable() {
        try {
            for (X509Certificate certificate : chain) {
                CertificateFacts.of(certificate);
            }
            return this;
        } catch (RuntimeException e) {
            return new Sighting(endpoint, List.of(), "the served certificate cannot be read: " + e.getMessage());
        }
    }
}
