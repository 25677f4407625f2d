package dev.certplane.ca;

import java.security.cert.X509Certificate;
import java.util.List;

/** The built-in CA as seen by operators and clients: its certificates, never its keys. */
public interface CertificateAuthority {

    /** The root, then the issuing CA. */
    List<CaCertificate> certificates();

    X509Certificate root();

    X509Certificate issuing();
}
