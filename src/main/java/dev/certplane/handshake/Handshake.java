package dev.certplane.handshake;

import java.security.cert.X509Certificate;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a server presented in one TLS handshake.
 *
 * @param chain the certificates as the server sent them, leaf first
 * @param protocol such as {@code TLSv1.3}
 * @param cipherSuite as the JDK names it, such as {@code TLS_AES_128_GCM_SHA256}
 * @param stapledOcspResponse the DER OCSP response the server stapled for its leaf (RFC 6066 8), or {@code null}
 */
public record Handshake(List<X509Certificate> chain, String protocol, String cipherSuite,
        byte @Nullable [] stapledOcspResponse) {

    public Handshake {
        chain = List.copyOf(chain);
        stapledOcspResponse = stapledOcspResponse == null ? null : stapledOcspResponse.clone();
    }

    @Override
    public byte @Nullable [] stapledOcspResponse() {
        return stapledOcspResponse == null ? null : stapledOcspResponse.clone();
    }
}
