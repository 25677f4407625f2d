package dev.certplane.acme;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import dev.certplane.support.ApiClient;

import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/** One ACME configuration shared by the ACME integration tests (one application context), and acme4j sessions. */
public final class AcmeTesting {

    /** The profiles the tests order from; {@code strict} accepts only P-256 keys and six-day certificates. */
    public static final String[] PROPERTIES = {
            "certplane.acme.terms-of-service=https://certplane.example/terms",
            "certplane.acme.alternate-chain-with-root=true",
            "certplane.acme.profiles.default.allowed-domains=.example.test,example.test",
            "certplane.acme.profiles.default.allowed-ip-ranges=127.0.0.0/8,::1/128",
            "certplane.acme.profiles.strict.allowed-domains=.strict.test",
            "certplane.acme.profiles.strict.validity=6d",
            "certplane.acme.profiles.strict.key-types=ec-p256",
    };

    private AcmeTesting() {
    }

    public static String directory(int port, String profile) {
        return "https://localhost:" + port + "/acme/" + profile + "/directory";
    }

    /** An acme4j session that trusts only Certplane's CA bundle. */
    public static Session session(int port, Path caBundle, String profile) {
        SSLContext trust = ApiClient.trusting(caBundle);
        return new Session(URI.create(directory(port, profile)), new GenericAcmeProvider() {
            @Override
            public HttpClient createHttpClient(NetworkSettings settings) {
                return HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10)).build();
            }
        });
    }
}
