package dev.certplane.inventory;

import static dev.certplane.support.ApiClient.basic;
import static dev.certplane.support.DeliveryApi.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import dev.certplane.acme.AcmeIT;
import dev.certplane.acme.AcmeTesting;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.KeyType;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Session;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;

/**
 * Certificates the built-in CA issues (here through the ACME server, and Certplane's own HTTPS certificate)
 * reach the inventory with their parsed metadata, chain, status and rating, and are found by search,
 * filters, sort, stats, CSV and downloads through the API; a revocation shows at once.
 */
@AcmeIT
class InventoryIT {

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    ApiClient api;
    Session session;
    Account account;
    java.security.KeyPair accountKey;

    @BeforeEach
    void clients() throws Exception {
        api = new ApiClient(port, certplane.caBundleFile());
        session = AcmeTesting.session(port, certplane.caBundleFile(), "default");
        accountKey = KeyType.EC_P256.generate();
        account = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey).create(session);
    }

    @Test
    void anIssuedCertificateArrivesWithItsMetadataChainStatusAndRating() throws Exception {
        X509Certificate leaf = issue("www.shop.inventory.example.test", "shop.inventory.example.test").getCertificate();
        String fingerprint = Certificates.sha256Fingerprint(leaf);

        JsonNode found = await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/api/certificates?q=" + fingerprint.substring(0, 12)), page -> page.get("total").asLong() == 1);
        String id = found.get("items").get(0).get("id").asString();
        JsonNode detail = get("/api/certificates/" + id);
        JsonNode certificate = detail.get("certificate");
        assertThat(certificate.get("fingerprintSha256").asString()).isEqualTo(fingerprint);
        assertThat(certificate.get("fingerprintSha1").asString()).isEqualTo(Certificates.sha1Fingerprint(leaf));
        assertThat(certificate.get("serial").asString()).isEqualTo(leaf.getSerialNumber().toString(16));
        assertThat(certificate.get("names").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder("www.shop.inventory.example.test", "shop.inventory.example.test");
        assertThat(certificate.get("keyAlgorithm").asString()).isEqualTo("EC");
        assertThat(certificate.get("keyCurve").asString()).isEqualTo("P-256");
        assertThat(certificate.get("ca").asBoolean()).isFalse();
        assertThat(certificate.get("extendedKeyUsage").valueStream().map(JsonNode::asString).toList()).contains("serverAuth");
        assertThat(certificate.get("keyUsage").valueStream().map(JsonNode::asString).toList()).contains("digitalSignature");
        assertThat(certificate.get("caIssuerUrls").size()).isPositive();
        assertThat(certificate.get("status").asString()).isEqualTo("valid");
        assertThat(certificate.get("rating").asString()).isEqualTo("A");
        assertThat(certificate.get("source").asString()).isEqualTo("issued");
        assertThat(certificate.get("hasPrivateKey").asBoolean()).isFalse();
        assertThat(detail.get("chain").size()).isEqualTo(3);
        assertThat(detail.get("chain").get(2).get("selfIssued").asBoolean()).isTrue();
        assertThat(detail.get("chainComplete").asBoolean()).isTrue();
        assertThat(detail.get("sources").valueStream().map(JsonNode::asString).toList()).contains("ca:internal");

        for (String q : List.of("shop.inventory.example.test", "inventory.example.test", "WWW.SHOP.INV",
                leaf.getSerialNumber().toString(16), Certificates.sha1Fingerprint(leaf).substring(0, 10))) {
            assertThat(get("/api/certificates?leafOnly=true&q=" + q).get("items").valueStream()
                    .map(item -> item.get("id").asString()).toList()).as(q).contains(id);
        }
        assertThat(get("/api/certificates?q=nothing-like-this.example.test").get("total").asLong()).isZero();

        assertThat(api.get("/api/certificates/" + id + "/pem", ADMIN).body()).isEqualTo(dev.certplane.pki.Pem.encodeCertificate(leaf));
        Response chain = api.get("/api/certificates/" + id + "/chain", ADMIN);
        assertThat(chain.body().split("BEGIN CERTIFICATE", -1)).hasSize(4);
        HttpResponse<byte[]> der = api.http().send(HttpRequest.newBuilder(URI.create(api.base() + "/api/certificates/"
                + id + "/der")).header("Authorization", ADMIN).build(), HttpResponse.BodyHandlers.ofByteArray());
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der.body()));
        assertThat(parsed).isEqualTo(leaf);
    }

    @Test
    void aRevocationShowsInTheInventory() throws Exception {
        X509Certificate leaf = issue("revoked.inventory.example.test").getCertificate();
        String q = "/api/certificates?q=" + Certificates.sha256Fingerprint(leaf);
        await().atMost(Duration.ofSeconds(20)).until(() -> get(q).get("total").asLong() == 1);
        org.shredzone.acme4j.Certificate.revoke(session.login(account.getLocation(), accountKey), leaf,
                RevocationReason.SUPERSEDED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get(q).get("items").get(0).get("status").asString()).isEqualTo("revoked"));
        assertThat(get(q + "&status=revoked").get("total").asLong()).isEqualTo(1);
        assertThat(get(q + "&status=valid").get("total").asLong()).isZero();
    }

    @Test
    void filtersSortPagesStatsAndCsvAgree() throws Exception {
        issue("a.paging.example.test");
        issue("b.paging.example.test");
        issue("c.paging.example.test");
        String base = "/api/certificates?q=paging.example.test&sort=subject";
        await().atMost(Duration.ofSeconds(20)).until(() -> get(base).get("total").asLong() == 3);

        JsonNode first = get(base + "&size=2&page=0");
        assertThat(first.get("total").asLong()).isEqualTo(3);
        assertThat(first.get("pages").asInt()).isEqualTo(2);
        assertThat(first.get("items").valueStream().map(i -> i.get("subjectCommonName").asString()).toList())
                .containsExactly("a.paging.example.test", "b.paging.example.test");
        assertThat(get(base + "&size=2&page=1").get("items").get(0).get("subjectCommonName").asString())
                .isEqualTo("c.paging.example.test");
        assertThat(get(base + "&order=desc&size=1").get("items").get(0).get("subjectCommonName").asString())
                .isEqualTo("c.paging.example.test");
        assertThat(get(base + "&size=2&page=7").get("items").size()).isZero();

        JsonNode stats = get("/api/certificates/stats");
        JsonNode everything = get("/api/certificates?size=1");
        assertThat(stats.get("total").asLong()).isEqualTo(everything.get("total").asLong());
        assertThat(stats.get("valid").asLong() + stats.get("expiringSoon").asLong() + stats.get("expiring").asLong()
                + stats.get("expired").asLong() + stats.get("revoked").asLong()).isEqualTo(stats.get("total").asLong());
        assertThat(get("/api/certificates?status=valid&size=1").get("total").asLong()).isEqualTo(stats.get("valid").asLong());

        long leaves = get("/api/certificates?leafOnly=true&size=1").get("total").asLong();
        long cas = get("/api/certificates?size=1").get("total").asLong() - leaves;
        assertThat(cas).as("the root and the issuing CA").isGreaterThanOrEqualTo(2);
        assertThat(get("/api/certificates?issuer=" + java.net.URLEncoder.encode(
                get(base).get("items").get(0).get("issuerCommonName").asString(), java.nio.charset.StandardCharsets.UTF_8)
                + "&q=paging.example.test").get("total").asLong()).isEqualTo(3);
        assertThat(get("/api/certificates?q=localhost&source=issued").get("total").asLong())
                .as("Certplane's own HTTPS certificate").isPositive();
        assertThat(get(base + "&expiresBefore=2000-01-01T00:00:00Z").get("total").asLong()).isZero();
        assertThat(get(base + "&expiresAfter=2000-01-01T00:00:00Z").get("total").asLong()).isEqualTo(3);

        Response csv = api.get("/api/certificates/export?q=paging.example.test&sort=subject", ADMIN);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith("id,subject_cn,subject,");
        assertThat(lines[1]).contains("a.paging.example.test");
        assertThat(lines[3]).contains("c.paging.example.test");
    }

    @Test
    void badQueriesAreRefusedPreciselyAndViewingNeedsItsPermission() {
        assertThat(problem("/api/certificates?status=fine")).contains("unknown status 'fine'");
        assertThat(problem("/api/certificates?sort=color")).contains("sort must be one of");
        assertThat(problem("/api/certificates?size=501")).contains("size 1 to 500");
        assertThat(problem("/api/certificates?order=up")).contains("order must be asc or desc");
        assertThat(problem("/api/certificates?source=moon")).contains("source must be one of");
        assertThat(problem("/api/certificates?expiresBefore=tomorrow")).isEqualTo("expiresBefore: 'tomorrow' cannot be read as this field's type");
        assertThat(problem("/api/certificates?q=" + "x".repeat(300))).contains("at most 255");
        assertThat(api.get("/api/certificates/nope", ADMIN).status()).isEqualTo(404);
        assertThat(api.get("/api/certificates/nope/der", ADMIN).status()).isEqualTo(404);

        Response user = api.send("POST", "/api/users", "{\"username\":\"auditor\",\"password\":\"auditor-long-password\","
                + "\"permissions\":[\"audit.view\"]}", ADMIN);
        assertThat(user.status()).isEqualTo(201);
        String auditor = basic("auditor", "auditor-long-password");
        assertThat(api.get("/api/certificates", auditor).status()).isEqualTo(403);
        assertThat(api.get("/api/certificates/stats", auditor).status()).isEqualTo(403);
        assertThat(api.get("/api/certificates/export", auditor).status()).isEqualTo(403);
        assertThat(api.get("/api/certificates", null).status()).isEqualTo(401);
    }

    private Certificate issue(String... names) throws Exception {
        Order order = account.newOrder().domains(names).create();
        order.execute(KeyType.EC_P256.generate());
        order.waitForCompletion(Duration.ofSeconds(10));
        return order.getCertificate();
    }

    private JsonNode get(String path) {
        Response response = api.get(path, ADMIN);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        return response.json();
    }

    private String problem(String path) {
        Response response = api.get(path, ADMIN);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return response.json().get("detail").asString();
    }
}
