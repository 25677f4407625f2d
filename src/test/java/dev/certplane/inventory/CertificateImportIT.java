package dev.certplane.inventory;

import static dev.certplane.support.ApiClient.basic;
import static dev.certplane.support.DeliveryApi.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.ExtendedKeyUsage;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Pem;
import dev.certplane.pki.Serials;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Part;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.MutableClock;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

/**
 * Certificate import through the operator API as an operator's script sends it (multipart/form-data): every
 * format, keys stored sealed, chains linked, precise errors per file without losing the other files, ownership set
 * on import and changed afterwards, permissions, and no request that ends in a 5xx.
 */
@CertplaneIT
class CertificateImportIT {

    private static final String PASSWORD = "store-password";

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MutableClock clock;

    ApiClient api;
    DeliveryApi admin;

    @BeforeEach
    void clients() {
        api = new ApiClient(port, certplane.caBundleFile());
        admin = new DeliveryApi(api);
    }

    @Test
    void aPemBundleWithChainAndKeyIsLinkedSealedOwnedAndThenDuplicate() {
        Pki pki = new Pki("Bundle");
        KeyPair leafKeys = KeyType.EC_P256.generate();
        X509Certificate leaf = pki.leaf("shop.import.test", leafKeys);
        String keyPem = Pem.encodePrivateKey(leafKeys.getPrivate());
        byte[] bundle = ascii(Pem.encodeCertificate(leaf) + keyPem + Pem.encodeCertificate(pki.intermediate)
                + Pem.encodeCertificate(pki.root));

        Response imported = importFiles(List.of(Part.file("bundle.pem", bundle), Part.field("organization", "retail"),
                Part.field("owner", "shop-team"), Part.field("tags", "env:prod, tier=1")), ADMIN);

        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        JsonNode report = imported.json();
        assertThat(report.get("files").asInt()).isEqualTo(1);
        assertThat(report.get("added").asInt()).isEqualTo(1);
        assertThat(report.get("failed").asInt()).isZero();
        JsonNode entry = report.get("results").get(0);
        assertThat(entry.get("file").asString()).isEqualTo("bundle.pem");
        assertThat(entry.get("entry").asString()).isEqualTo("PEM block 1");
        assertThat(entry.get("outcome").asString()).isEqualTo("added");
        assertThat(entry.get("privateKey").asBoolean()).isTrue();
        assertThat(entry.get("subject").asString()).contains("shop.import.test");
        assertThat(entry.get("fingerprintSha256").asString()).isEqualTo(Certificates.sha256Fingerprint(leaf));
        assertThat(imported.body()).doesNotContain(PASSWORD);
        String id = entry.get("certificateId").asString();

        JsonNode detail = admin.get("/api/certificates/" + id);
        JsonNode certificate = detail.get("certificate");
        assertThat(certificate.get("hasPrivateKey").asBoolean()).isTrue();
        assertThat(certificate.get("source").asString()).isEqualTo("imported");
        assertThat(certificate.get("organization").asString()).isEqualTo("retail");
        assertThat(certificate.get("owner").asString()).isEqualTo("shop-team");
        assertThat(certificate.get("tags").valueStream().map(JsonNode::asString).toList()).containsExactly("env:prod", "tier=1");
        assertThat(detail.get("chain").valueStream().map(link -> link.get("fingerprintSha256").asString()).toList())
                .containsExactly(Certificates.sha256Fingerprint(leaf), Certificates.sha256Fingerprint(pki.intermediate),
                        Certificates.sha256Fingerprint(pki.root));
        assertThat(detail.get("sources").get(0).asString()).isEqualTo("import:" + report.get("importId").asString());

        String sealed = jdbc.sql("select sealed_key from inv_private_keys where certificate_id = :id").param("id", id)
                .query(String.class).single();
        String keyBody = keyPem.lines().filter(line -> !line.startsWith("-----")).reduce("", String::concat);
        assertThat(sealed).doesNotContain(keyBody.substring(0, 40)).doesNotContain(keyBody.substring(40, 80));

        // Ownership goes on everything the import added: the leaf and both issuers.
        assertThat(admin.get("/api/certificates?source=imported&organization=retail").get("total").asLong()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                admin.audit("certificate.import", report.get("importId").asString())).singleElement()
                .satisfies(event -> assertThat(event.toString()).contains("\"added\":\"1\"").doesNotContain(PASSWORD)));

        Response again = importFiles(List.of(Part.file("bundle.pem", bundle), Part.field("organization", "other")), ADMIN);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("duplicates").asInt()).isEqualTo(1);
        assertThat(again.json().get("added").asInt()).isZero();
        assertThat(again.json().get("results").valueStream().map(r -> r.get("outcome").asString()).toList())
                .containsOnly("duplicate");
        assertThat(admin.get("/api/certificates/" + id).get("certificate").get("organization").asString())
                .isEqualTo("retail");

        Response patched = api.send("PATCH", "/api/certificates/" + id,
                "{\"organization\":\"wholesale\",\"tags\":[\"env:test\"]}", ADMIN);
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("owner").asString()).isEqualTo("shop-team");
        assertThat(admin.get("/api/certificates?organization=wholesale").get("items").get(0).get("id").asString())
                .isEqualTo(id);
        assertThat(admin.get("/api/certificates/" + id).get("certificate").get("tags").valueStream()
                .map(JsonNode::asString).toList()).containsExactly("env:test");
        Response cleared = api.send("PATCH", "/api/certificates/" + id, "{\"owner\":\"\",\"tags\":[]}", ADMIN);
        assertThat(cleared.json().has("owner")).isFalse();
        assertThat(cleared.json().get("organization").asString()).isEqualTo("wholesale");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(admin.audit("certificate.updated", id)).hasSize(2));

        assertThat(problem(api.send("PATCH", "/api/certificates/" + id, "{\"tags\":[\"no spaces\"]}", ADMIN), 400))
                .contains("tag 'no spaces'");
        assertThat(problem(api.send("PATCH", "/api/certificates/" + id, "{\"owner\":\"" + "x".repeat(201) + "\"}", ADMIN),
                400)).isEqualTo("owner must be at most 200 printable characters");
        assertThat(problem(api.send("PATCH", "/api/certificates/" + id, "{\"tags\":[null]}", ADMIN), 400)).contains("tags");
        assertThat(problem(api.send("PATCH", "/api/certificates/nope", "{\"owner\":\"a\"}", ADMIN), 404))
                .contains("no certificate nope");
    }

    @Test
    void everyFormatIsReadAndABrokenFileFailsAloneWithItsReason() throws Exception {
        Pki pki = new Pki("Formats");
        X509Certificate der = pki.leaf("der.import.test", KeyType.EC_P256.generate());
        X509Certificate p7 = pki.leaf("p7b.import.test", KeyType.EC_P256.generate());
        KeyPair p12Keys = KeyType.EC_P256.generate();
        X509Certificate p12 = pki.leaf("p12.import.test", p12Keys);
        KeyPair jksKeys = KeyType.EC_P256.generate();
        X509Certificate jks = pki.leaf("jks.import.test", jksKeys);
        byte[] whole = pki.leaf("cut.import.test", KeyType.EC_P256.generate()).getEncoded();
        byte[] truncated = Arrays.copyOf(whole, 200);

        Response imported = importFiles(List.of(Part.file("server.cer", der.getEncoded()),
                Part.file("chain.p7b", pkcs7(p7, pki.intermediate, pki.root)),
                Part.file("server.p12", keyStore("PKCS12", p12, p12Keys.getPrivate(), pki)),
                Part.file("server.jks", keyStore("JKS", jks, jksKeys.getPrivate(), pki)),
                Part.file("cut.der", truncated), Part.file("some/dir/notes.txt", ascii("not a certificate\n")),
                Part.field("password", PASSWORD)), ADMIN);

        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        assertThat(imported.body()).doesNotContain(PASSWORD);
        JsonNode report = imported.json();
        assertThat(report.get("files").asInt()).isEqualTo(6);
        assertThat(report.get("failed").asInt()).isEqualTo(2);
        List<String> lines = new ArrayList<>();
        report.get("results").forEach(r -> lines.add(r.get("file").asString() + " " + r.path("entry").asString("-") + " "
                + r.get("outcome").asString() + " " + r.get("privateKey").asBoolean()));
        // A PKCS#7 SET holds its certificates in encoding order, so the leaf's position in it is not known here.
        assertThat(entryOf(report, "chain.p7b")).startsWith("certificate ");
        assertThat(lines).containsExactlyInAnyOrder("server.cer certificate added false",
                "chain.p7b " + entryOf(report, "chain.p7b") + " added false", "server.p12 server added true",
                "server.p12 root duplicate false", "server.jks server added true", "server.jks root duplicate false",
                "cut.der - failed false", "notes.txt - failed false");
        assertThat(errorOf(report, "cut.der")).isEqualTo("'cut.der' is truncated: its DER structure declares "
                + whole.length + " bytes but the file has 200");
        assertThat(errorOf(report, "notes.txt")).isEqualTo("'notes.txt' is not PEM, DER, PKCS#7, PKCS#12 or JKS");

        for (X509Certificate certificate : List.of(der, p7, p12, jks)) {
            JsonNode found = admin.get("/api/certificates?source=imported&q=" + Certificates.sha256Fingerprint(certificate));
            assertThat(found.get("total").asLong()).as(certificate.getSubjectX500Principal().getName()).isEqualTo(1);
        }
        String p12Id = idOf(report, "server.p12", "server");
        assertThat(admin.get("/api/certificates/" + p12Id).get("chain").size()).isEqualTo(3);
        assertThat(admin.get("/api/certificates/" + p12Id).get("certificate").get("hasPrivateKey").asBoolean()).isTrue();

        byte[] otherP12 = keyStore("PKCS12", pki.leaf("wrong.import.test", p12Keys), p12Keys.getPrivate(), pki);
        Response wrong = importFiles(List.of(Part.file("other.p12", otherP12), Part.field("password", "not-it")), ADMIN);
        assertThat(problem(wrong, 400)).isEqualTo("no file could be imported: wrong password for PKCS#12 file 'other.p12'");
        assertThat(wrong.json().get("report").get("results").get(0).get("outcome").asString()).isEqualTo("failed");
        assertThat(wrong.body()).doesNotContain("not-it");
    }

    @Test
    void requestsThatCannotBeImportedGetPreciseProblemsAndNeverA5xx() {
        assertThat(problem(importFiles(List.of(Part.field("organization", "retail")), ADMIN), 400))
                .isEqualTo("the request has no file; send each file as a multipart/form-data part named 'file'");
        assertThat(problem(api.send("POST", "/api/certificates/import", "{}", ADMIN), 400))
                .startsWith("the request has no file");
        assertThat(problem(importFiles(List.of(Part.file("a.pem", ascii("x")), Part.field("tags", "no spaces")), ADMIN),
                400)).contains("tag 'no spaces'");
        assertThat(problem(importFiles(List.of(Part.file("empty.pem", new byte[0])), ADMIN), 400))
                .isEqualTo("no file could be imported: 'empty.pem' is empty");

        byte[] large = new byte[10 * 1024 * 1024 + 1024];
        Arrays.fill(large, (byte) 'A');
        Response tooLarge = importFiles(List.of(Part.file("large.pem", large)), ADMIN);
        assertThat(problem(tooLarge, 413)).isEqualTo("the upload is larger than the server accepts: The field file"
                + " exceeds its maximum permitted size of 10485760 bytes.");

        List<Part> manyParts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            manyParts.add(Part.file("f" + i + ".pem", ascii("x")));
        }
        assertThat(problem(importFiles(manyParts, ADMIN), 413))
                .isEqualTo("the upload has more parts (files and fields) than the server accepts");
    }

    @Test
    void importingAndEditingNeedCertificatesManage() {
        Response created = api.send("POST", "/api/users", "{\"username\":\"viewer\",\"password\":\"viewer-long-password\","
                + "\"permissions\":[\"certificates.view\"]}", ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String viewer = basic("viewer", "viewer-long-password");
        Pki pki = new Pki("Permissions");
        byte[] pem = ascii(Pem.encodeCertificate(pki.leaf("perm.import.test", KeyType.EC_P256.generate())));

        assertThat(problem(importFiles(List.of(Part.file("p.pem", pem)), viewer), 403)).isNotBlank();
        String id = importFiles(List.of(Part.file("p.pem", pem)), ADMIN).json().get("results").get(0)
                .get("certificateId").asString();
        assertThat(api.get("/api/certificates/" + id, viewer).status()).isEqualTo(200);
        assertThat(problem(api.send("PATCH", "/api/certificates/" + id, "{\"owner\":\"me\"}", viewer), 403)).isNotBlank();
        assertThat(api.multipart("/api/certificates/import", List.of(Part.file("p.pem", pem)), null).status())
                .isEqualTo(401);
        assertThat(api.get("/v3/api-docs", ADMIN).body()).contains("/api/certificates/import");
    }

    private Response importFiles(List<Part> parts, String authorization) {
        return api.multipart("/api/certificates/import", parts, authorization);
    }

    private static String problem(Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return response.json().get("detail").asString();
    }

    private static JsonNode line(JsonNode report, String file, String entry) {
        for (JsonNode result : report.get("results")) {
            if (result.get("file").asString().equals(file) && (entry == null || entry.equals(result.path("entry").asString(null)))) {
                return result;
            }
        }
        throw new AssertionError("no result for " + file + " " + entry + " in " + report);
    }

    private static String errorOf(JsonNode report, String file) {
        return line(report, file, null).get("error").asString();
    }

    private static String idOf(JsonNode report, String file, String entry) {
        return line(report, file, entry).get("certificateId").asString();
    }

    private static String entryOf(JsonNode report, String file) {
        return line(report, file, null).get("entry").asString();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] pkcs7(X509Certificate... certificates) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addCertificates(new JcaCertStore(List.of(certificates)));
        return generator.generate(new CMSAbsentContent()).getEncoded();
    }

    private static byte[] keyStore(String type, X509Certificate leaf, PrivateKey key, Pki pki) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        store.setKeyEntry("server", key, PASSWORD.toCharArray(), new Certificate[] {leaf, pki.intermediate, pki.root});
        store.setCertificateEntry("root", pki.root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, PASSWORD.toCharArray());
        return out.toByteArray();
    }

    /** A root and an intermediate valid around the test clock, issuing leaves. */
    private final class Pki {
        final KeyPair rootKeys = KeyType.EC_P256.generate();
        final KeyPair intermediateKeys = KeyType.EC_P256.generate();
        final X509Certificate root;
        final X509Certificate intermediate;

        Pki(String name) {
            Instant now = clock.instant();
            root = CertificateSigner.sign(new CertificateSpec("CN=" + name + " Import Root,O=Certplane Test",
                    rootKeys.getPublic(), Serials.random(), now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(3650)),
                    true, 1, Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN), List.of(), List.of(), List.of(),
                    null, null, null), null, rootKeys.getPrivate());
            intermediate = CertificateSigner.sign(new CertificateSpec("CN=" + name + " Import Intermediate,O=Certplane Test",
                    intermediateKeys.getPublic(), Serials.random(), now.minus(Duration.ofDays(9)),
                    now.plus(Duration.ofDays(1800)), true, 0, Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN),
                    List.of(), List.of(), List.of(), null, null, null), root, rootKeys.getPrivate());
        }

        X509Certificate leaf(String dnsName, KeyPair keys) {
            Instant now = clock.instant();
            return CertificateSigner.sign(new CertificateSpec("CN=" + dnsName, keys.getPublic(), Serials.random(),
                    now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), false, null,
                    Set.of(KeyUsageBit.DIGITAL_SIGNATURE), List.of(ExtendedKeyUsage.SERVER_AUTH), List.of(dnsName),
                    List.of(), null, null, null), intermediate, intermediateKeys.getPrivate());
        }
    }
}
