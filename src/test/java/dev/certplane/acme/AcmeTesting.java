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

/** acme4j sessions against a test server. */
public final class AcmeTesting {

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
