package dev.certplane.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** The certificate a fresh TLS connection to a local port is served, recorded rather than checked. */
public final class ServedCertificate {

    private ServedCertificate() {
    }

    public static X509Certificate on(int port) {
        try {
            SSLContext recordOnly = SSLContext.getInstance("TLS");
            recordOnly.init(null, new TrustManager[] {new RecordingTrustManager()}, new SecureRandom());
            // A new client each time: a pooled connection would keep the old handshake.
            HttpClient client = HttpClient.newBuilder().sslContext(recordOnly).build();
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.discarding());
            return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
        } catch (Exception e) {
            throw new IllegalStateException("no TLS handshake with port " + port, e);
        }
    }

    private static final class RecordingTrustManager implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
