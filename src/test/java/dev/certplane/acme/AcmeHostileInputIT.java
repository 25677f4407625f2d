package dev.certplane.acme;

import static dev.certplane.acme.protocol.TestJws.b64;
import static dev.certplane.acme.protocol.TestJws.jwkHeader;
import static dev.certplane.acme.protocol.TestJws.kidHeader;
import static dev.certplane.acme.protocol.TestJws.sign;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import dev.certplane.acme.protocol.TestJws;
import dev.certplane.pki.KeyType;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.RawAcme;
import dev.certplane.support.RawAcme.Reply;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Hostile and broken requests: each gets the precise ACME problem, a fresh nonce, and never a 5xx. */
@AcmeIT
class AcmeHostileInputIT {

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    RawAcme acme;
    String base;

    @BeforeEach
    void client() {
        acme = new RawAcme(port, certplane.caBundleFile(), "default");
        base = acme.base();
    }


    @Test
    void aReplayedNonceIsBadNonceAndTheErrorCarriesAFreshOne() throws Exception {
        KeyPair key = TestJws.newKeyPair("ES256");
        String nonce = acme.nonce();
        String body = sign(key, "ES256", jwkHeader("ES256", key.getPublic(), nonce, base + "new-account"),
                "{\"termsOfServiceAgreed\":true}");
        Reply first = acme.post("new-account", body);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        Reply replay = acme.post("new-account", body);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.type()).isEqualTo("badNonce");
        assertThat(replay.detail()).contains("already used");
        assertThat(replay.nonce()).isNotBlank().isNotEqualTo(nonce);

        Reply forged = acme.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), "bm90LW91cnM",
                base + "new-account"), "{}"));
        assertThat(forged.type()).isEqualTo("badNonce");
        assertThat(forged.detail()).contains("not one this server issued");
    }

    @Test
    void newAccountChecksTermsContactsAndExistence() throws Exception {
        KeyPair key = TestJws.newKeyPair("ES256");
        Reply noTerms = acme.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(),
                base + "new-account"), "{}"));
        assertThat(noTerms.status()).isEqualTo(403);
        assertThat(noTerms.type()).isEqualTo("userActionRequired");
        assertThat(noTerms.detail()).contains("https://certplane.example/terms");

        Reply unknown = acme.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(),
                base + "new-account"), "{\"onlyReturnExisting\":true}"));
        assertThat(unknown.type()).isEqualTo("accountDoesNotExist");

        Reply phone = acme.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(),
                base + "new-account"), "{\"termsOfServiceAgreed\":true,\"contact\":[\"tel:+15551234\"]}"));
        assertThat(phone.type()).isEqualTo("unsupportedContact");
        Reply hfields = acme.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(),
                base + "new-account"), "{\"termsOfServiceAgreed\":true,\"contact\":[\"mailto:a@example.com?to=b@example.com\"]}"));
        assertThat(hfields.type()).isEqualTo("invalidContact");

        String kid = register(key);
        Reply existing = acme.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(),
                base + "new-account"), "{\"onlyReturnExisting\":true}"));
        assertThat(existing.status()).isEqualTo(200);
        assertThat(existing.location()).isEqualTo(kid);

        Reply updated = acme.postUrl(kid, sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), kid),
                "{\"contact\":[\"mailto:new@example.test\"]}"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("contact").get(0).asString()).isEqualTo("mailto:new@example.test");
    }

    @Test
    void theSignedUrlMustBeTheUrlRequested() throws Exception {
        KeyPair key = TestJws.newKeyPair("ES256");
        Reply reply = acme.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(),
                base + "new-order"), "{\"termsOfServiceAgreed\":true}"));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.type()).isEqualTo("unauthorized");
        assertThat(reply.detail()).contains("is not the URL this request was sent to");
    }

    @Test
    void unsignedSymmetricAndUnknownAlgorithmsAreRefusedWithTheAcceptedList() throws Exception {
        KeyPair key = TestJws.newKeyPair("ES256");
        for (String alg : new String[] {"none", "HS256", "ES256K", "RS1"}) {
            Map<String, Object> header = new HashMap<>(jwkHeader("ES256", key.getPublic(), acme.nonce(), base + "new-account"));
            header.put("alg", alg);
            Reply reply = acme.post("new-account", sign(key, "ES256", header, "{}"));
            assertThat(reply.status()).as(alg).isEqualTo(400);
            assertThat(reply.type()).as(alg).isEqualTo("badSignatureAlgorithm");
            assertThat(reply.json().get("algorithms").toString()).contains("ES256", "RS256", "EdDSA");
        }
    }

    @Test
    void kidAndJwkAreAcceptedOnlyWhereTheRfcAllowsThem() throws Exception {
        KeyPair key = TestJws.newKeyPair("ES256");
        String kid = register(key);
        Reply jwkOnOrder = acme.post("new-order", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(),
                base + "new-order"), RawAcme.order("x.example.test")));
        assertThat(jwkOnOrder.type()).isEqualTo("malformed");
        assertThat(jwkOnOrder.detail()).contains("\"kid\"");

        Reply kidOnAccount = acme.post("new-account", sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(),
                base + "new-account"), "{}"));
        assertThat(kidOnAccount.type()).isEqualTo("malformed");

        Map<String, Object> both = new HashMap<>(kidHeader("ES256", kid, acme.nonce(), base + "new-order"));
        both.put("jwk", TestJws.jwk(key.getPublic()));
        assertThat(acme.post("new-order", sign(key, "ES256", both, RawAcme.order("x.example.test"))).detail())
                .contains("exactly one of");

        Reply unknown = acme.post("new-order", sign(key, "ES256", kidHeader("ES256", base + "acct/nobody", acme.nonce(),
                base + "new-order"), RawAcme.order("x.example.test")));
        assertThat(unknown.type()).isEqualTo("accountDoesNotExist");
    }

    @Test
    void anotherAccountsResourcesAreOutOfReach() throws Exception {
        KeyPair owner = TestJws.newKeyPair("ES256");
        String ownerKid = register(owner);
        Reply created = acme.post("new-order", sign(owner, "ES256", kidHeader("ES256", ownerKid, acme.nonce(), base + "new-order"),
                RawAcme.order("mine.example.test")));
        assertThat(created.status()).isEqualTo(201);
        String orderUrl = created.location();

        KeyPair stranger = TestJws.newKeyPair("ES256");
        String strangerKid = register(stranger);
        Reply peek = acme.postUrl(orderUrl, sign(stranger, "ES256", kidHeader("ES256", strangerKid, acme.nonce(), orderUrl), ""));
        assertThat(peek.status()).isEqualTo(403);
        assertThat(peek.type()).isEqualTo("unauthorized");
        String authz = created.json().get("authorizations").get(0).asString();
        assertThat(acme.postUrl(authz, sign(stranger, "ES256", kidHeader("ES256", strangerKid, acme.nonce(), authz), "")).type())
                .isEqualTo("unauthorized");
        Reply strangerAccount = acme.postUrl(ownerKid, sign(stranger, "ES256", kidHeader("ES256", strangerKid, acme.nonce(),
                ownerKid), ""));
        assertThat(strangerAccount.type()).isEqualTo("unauthorized");
    }

    @Test
    void finalizeChecksReadinessAndTheCsrsNames() throws Exception {
        KeyPair key = TestJws.newKeyPair("ES256");
        String kid = register(key);
        Reply created = acme.post("new-order", sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), base + "new-order"),
                RawAcme.order("f1.example.test")));
        String finalizeUrl = created.json().get("finalize").asString();

        KeyPair certKey = KeyType.EC_P256.generate();
        Reply extra = acme.postUrl(finalizeUrl, sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), finalizeUrl),
                "{\"csr\":\"" + b64(RawAcme.csr(certKey, "f1.example.test", "evil.example.test")) + "\"}"));
        assertThat(extra.type()).isEqualTo("badCSR");
        assertThat(extra.detail()).contains("not in the order: [evil.example.test]");

        Reply accountKey = acme.postUrl(finalizeUrl, sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), finalizeUrl),
                "{\"csr\":\"" + b64(RawAcme.csr(key, "f1.example.test")) + "\"}"));
        assertThat(accountKey.type()).isEqualTo("badCSR");
        assertThat(accountKey.detail()).contains("account key");

        Reply notBase64 = acme.postUrl(finalizeUrl, sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), finalizeUrl),
                "{\"csr\":\"" + b64("not a csr") + "\"}"));
        assertThat(notBase64.type()).isEqualTo("badCSR");

        String authz = created.json().get("authorizations").get(0).asString();
        acme.postUrl(authz, sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), authz), "{\"status\":\"deactivated\"}"));
        Reply notReady = acme.postUrl(finalizeUrl, sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), finalizeUrl),
                "{\"csr\":\"" + b64(RawAcme.csr(certKey, "f1.example.test")) + "\"}"));
        assertThat(notReady.status()).isEqualTo(403);
        assertThat(notReady.type()).isEqualTo("orderNotReady");
        assertThat(notReady.detail()).contains("invalid");
    }

    @Test
    void envelopeErrorsHaveTheirHttpStatus() throws Exception {
        KeyPair key = TestJws.newKeyPair("ES256");
        String kid = register(key);
        String huge = "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"" + "a".repeat(70_000) + "\"}]}";
        Reply oversized = acme.post("new-order", sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), base + "new-order"), huge));
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(oversized.type()).isEqualTo("malformed");

        Reply wrongType = acme.send("POST", base + "new-order", "{}", "application/json");
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.detail()).contains("application/jose+json");

        Reply get = acme.send("GET", base + "new-order", null, null);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.nonce()).isNotBlank();

        Reply nowhere = acme.send("POST", base + "no-such-thing", "{}", "application/jose+json");
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.type()).isEqualTo("malformed");
    }

    @Test
    void theCertificateLinksUpToTheRootWhichAnswersPostAsGet() throws Exception {
        KeyPair key = TestJws.newKeyPair("ES256");
        String kid = register(key);
        Reply created = acme.post("new-order", sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), base + "new-order"),
                RawAcme.order("links.example.test")));
        String finalizeUrl = created.json().get("finalize").asString();
        Reply finalized = acme.postUrl(finalizeUrl, sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), finalizeUrl),
                "{\"csr\":\"" + b64(RawAcme.csr(KeyType.EC_P256.generate(), "links.example.test")) + "\"}"));
        String certificateUrl = finalized.json().get("certificate").asString();

        HttpResponse<String> download = acme.http().send(HttpRequest.newBuilder(URI.create(certificateUrl))
                .header("Content-Type", "application/jose+json")
                .POST(HttpRequest.BodyPublishers.ofString(sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(),
                        certificateUrl), ""))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(download.headers().firstValue("Content-Type")).contains("application/pem-certificate-chain");
        assertThat(download.body().split("BEGIN CERTIFICATE", -1)).hasSize(3);
        var links = download.headers().allValues("Link");
        assertThat(links).contains("<" + base + "root>;rel=\"up\"", "<" + certificateUrl + "/1>;rel=\"alternate\"");

        Reply root = acme.postUrl(base + "root", sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), base + "root"), ""));
        assertThat(root.status()).isEqualTo(200);
        var rootCertificate = dev.certplane.pki.Pem.decodeCertificate(root.body());
        assertThat(rootCertificate.getSubjectX500Principal()).isEqualTo(rootCertificate.getIssuerX500Principal());
        Reply alternate = acme.postUrl(certificateUrl + "/1", sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(),
                certificateUrl + "/1"), ""));
        assertThat(alternate.body()).endsWith(root.body());
    }

    @Test
    void garbageNeverCausesAServerError() throws Exception {
        Random random = new Random(8555);
        KeyPair key = TestJws.newKeyPair("ES256");
        String kid = register(key);
        String[] resources = {"new-account", "new-order", "revoke-cert", "key-change", "acct/x", "order/x/finalize",
            "chall/x", "authz/x"};
        for (int i = 0; i < 120; i++) {
            String resource = resources[i % resources.length];
            String body = switch (i % 4) {
                case 0 -> randomText(random, random.nextInt(300));
                case 1 -> "{\"protected\":\"" + b64(randomText(random, 40)) + "\",\"payload\":\"\",\"signature\":\"\"}";
                case 2 -> sign(key, "ES256", kidHeader("ES256", kid, acme.nonce(), base + resource), randomJson(random));
                default -> sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(), base + resource), randomJson(random));
            };
            Reply reply = acme.post(resource, body);
            assertThat(reply.status()).as(resource + " " + body).isLessThan(500);
            assertThat(reply.nonce()).isNotBlank();
        }
    }

    private static String randomText(Random random, int length) {
        String alphabet = "{}[]\":,ab01 \\-_.=+/\u00e9\u0000";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String randomJson(Random random) {
        String[] values = {"null", "1", "-1", "true", "\"x\"", "[]", "{}", "[{}]", "\"" + "z".repeat(300) + "\"",
                "[{\"type\":\"dns\",\"value\":\"..\"}]", "[{\"type\":\"ip\",\"value\":\"999.1.1.1\"}]"};
        String[] keys = {"identifiers", "csr", "certificate", "reason", "contact", "status", "notAfter", "replaces",
                "account", "oldKey", "onlyReturnExisting", "profile"};
        StringBuilder json = new StringBuilder("{");
        int members = random.nextInt(4);
        for (int i = 0; i < members; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(keys[random.nextInt(keys.length)]).append("\":")
                    .append(values[random.nextInt(values.length)]);
        }
        return json.append('}').toString();
    }

    private String register(KeyPair key) throws Exception {
        Reply reply = acme.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(),
                base + "new-account"), "{\"termsOfServiceAgreed\":true}"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.location();
    }

}
