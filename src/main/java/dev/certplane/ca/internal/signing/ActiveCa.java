package dev.certplane.ca.internal.signing;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** The root and issuing CA in use, with the issuing key decrypted in memory only. */
record ActiveCa(String rootId, X509Certificate root, String issuingId, X509Certificate issuing, PrivateKey issuingKey) {

    @Override
    public String toString() {
        return "ActiveCa[root=" + root.getSubjectX500Principal() + ", issuing=" + issuing.getSubjectX500Principal() + "]";
    }
}
