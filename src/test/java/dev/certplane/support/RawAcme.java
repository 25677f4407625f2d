package dev.certplane.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ACME requests built by hand (with {@code TestJws}) and sent over real HTTPS to one profile's directory, for
 * tests of what no well-behaved client would send.
 */
public final class RawAcme {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final String base;

    public RawAcme(int port, Path caBundle, String profile) {
        this.http = HttpClient.newBuilder().sslContext(ApiClient.trusting(caBundle))
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.base = "https://localhost:" + port + "/acme/" + profile + "/";
    }

    /** @param retryAfter the {@code Retry-After} header, if the server sent one */
    public record Reply(int status, String nonce, String location, String body, String retryAfter) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The problem type without the {@code urn:ietf:params:acme:error:} prefix. */
        public String type() {
            return json().get("type").asString().replace("urn:ietf:params:acme:error:", "");
        }

        public String detail() {
            return json().get("detail").asString();
        }
    }

    /** The profile's resource URL prefix, ending in a slash: {@code base() + "new-order"}. */
    public String base() {
        return base;
    }

    public HttpClient http() {
        return http;
    }

    public String nonce() throws Exception {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(base + "new-nonce"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        return response.headers().firstValue("Replay-Nonce").orElseThrow();
    }

    public Reply post(String resource, String body) throws Exception {
        return postUrl(base + resource, body);
    }

    public Reply postUrl(String url, String body) throws Exception {
        return send("POST", url, body, "application/jose+json");
    }

    public Reply send(String method, String url, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Replay-Nonce").orElse(""),
                response.headers().firstValue("Location").orElse(null), response.body(),
                response.headers().firstValue("Retry-After").orElse(null));
    }

    /** A PKCS#10 request with the DNS names as SANs and an empty subject, signed with an EC key. */
    public static byte[] csr(KeyPair key, String... names) throws Exception {
        GeneralName[] sans = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            sans[i] = new GeneralName(GeneralName.dNSName, names[i]);
        }
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(""), key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
    }

    /** A newOrder payload for DNS names. */
    public static String order(String... names) {
        StringBuilder identifiers = new StringBuilder();
        for (String name : names) {
            identifiers.append(identifiers.isEmpty() ? "" : ",").append("{\"type\":\"dns\",\"value\":\"").append(name)
                    .append("\"}");
        }
        return "{\"identifiers\":[" + identifiers + "]}";
    }
}
