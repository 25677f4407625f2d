package dev.certplane.inventory.internal;

import java.security.KeyStore;
import java.util.HashSet;
import java.util.Set;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.springframework.stereotype.Component;

/**
 * The subjects of the JDK's default trust anchors: a certificate issued by one of them is treated as
 * publicly trusted (for the 398-day rule) and its chain as complete even when the root is not in the
 * inventory.
 */
@Component
public class PublicRoots {

    private final Set<String> subjects = new HashSet<>();

    PublicRoots() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                for (var anchor : x509.getAcceptedIssuers()) {
                    subjects.add(anchor.getSubjectX500Principal().getName());
                }
            }
        }
    }

    public boolean isRoot(String subjectDn) {
        return subjects.contains(subjectDn);
    }
}
