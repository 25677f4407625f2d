package dev.certplane.delivery;

import static dev.certplane.acme.protocol.TestJws.externalAccountBinding;
import static dev.certplane.acme.protocol.TestJws.json;
import static dev.certplane.acme.protocol.TestJws.jwkHeader;
import static dev.certplane.acme.protocol.TestJws.kidHeader;
import static dev.certplane.acme.protocol.TestJws.sign;
import static dev.certplane.support.ApiClient.basic;
import static dev.certplane.support.DeliveryApi.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.certplane.acme.AcmeIT;
import dev.certplane.acme.protocol.TestJws;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.MutableClock;
import dev.certplane.support.RawAcme;
import dev.certplane.support.RawAcme.Reply;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

/**
 * Managed certificates and certificate tokens through the operator API (validation, permissions, the key shown
 * once and sealed at rest) and the token profile's ACME surface under hand-made requests: every way of binding
 * or acting without a usable token is refused with the precise problem and never a 5xx.
 */
@AcmeIT
class CertificateTokenIT {

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MutableClock clock;

    ApiClient api;
    DeliveryApi delivery;
    RawAcme acme;

    @BeforeEach
    void clients() {
        api = new ApiClient(port, certplane.caBundleFile());
        delivery = new DeliveryApi(api);
        acme = new RawAcme(port, certplane.caBundleFile(), "edge");
    }

    @Test
    void managedCertificatesAreValidatedCanonicalAndSearchable() {
        assertThat(problem("POST", "/api/managed-certificates", managed("m1", "edge", "outside.test"), 400))
                .contains("profile 'edge' does not allow outside.test");
        assertThat(problem("POST", "/api/managed-certificates", managed("m2", "nope", "a.edge.test"), 400))
                .contains("there is no profile named 'nope'");
        assertThat(problem("POST", "/api/managed-certificates", managed("m3", "edge", "exa mple.edge.test"), 400))
                .contains("is not a valid DNS name");
        assertThat(problem("POST", "/api/managed-certificates", "{\"name\":\"m4\",\"profile\":\"edge\",\"names\":[]}", 400))
                .contains("names: must not be empty");
        assertThat(problem("POST", "/api/managed-certificates", "{\"name\":\"m5\",\"profile\":\"edge\","
                + "\"names\":[\"a.edge.test\"],\"tags\":[\"no spaces\"]}", 400)).contains("tag 'no spaces'");
        assertThat(problem("POST", "/api/managed-certificates", "{\"name\":\"m6\",\"profile\":\"edge\","
                + "\"names\":\"a.edge.test\"}", 400)).isEqualTo("field 'names' has a value of the wrong type or format");
        assertThat(problem("POST", "/api/managed-certificates", "{\"name\":", 400))
                .startsWith("the request body is not valid JSON");

        Response created = api.send("POST", "/api/managed-certificates", "{\"name\":\"Shop Front\",\"profile\":\"edge\","
                + "\"names\":[\"WWW.Shop.Edge.Test\",\"shop.edge.test\",\"www.shop.edge.test\"],\"owner\":\"shop-team\","
                + "\"organization\":\"retail\",\"tags\":[\"env:prod\",\"tier=1\"]}", ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode shop = created.json();
        assertThat(shop.get("names").valueStream().map(JsonNode::asString).toList())
                .containsExactly("www.shop.edge.test", "shop.edge.test");
        assertThat(shop.has("current")).isFalse();
        assertThat(shop.get("versions").asInt()).isZero();
        assertThat(problem("POST", "/api/managed-certificates", managed("shop front", "edge", "x.edge.test"), 409))
                .contains("exists already");

        JsonNode byName = delivery.get("/api/managed-certificates?q=SHOP.edge");
        assertThat(byName.get("total").asLong()).isEqualTo(1);
        assertThat(byName.get("items").get(0).get("id").asString()).isEqualTo(shop.get("id").asString());
        assertThat(delivery.get("/api/managed-certificates?organization=retail&tag=tier=1").get("total").asLong())
                .isEqualTo(1);
        assertThat(delivery.get("/api/managed-certificates?tag=tier").get("total").asLong()).isZero();
        assertThat(delivery.get("/api/managed-certificates?q=100%25_").get("total").asLong()).isZero();
        assertThat(problem("GET", "/api/managed-certificates?size=501", null, 400)).contains("size 1 to 500");
        assertThat(delivery.get("/api/managed-certificates?page=99999999&size=500").get("items").size()).isZero();

        Response changed = api.send("PUT", "/api/managed-certificates/" + shop.get("id").asString(),
                managed("Shop Front", "edge", "shop.edge.test"), ADMIN);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("names").size()).isEqualTo(1);
        assertThat(problem("GET", "/api/managed-certificates/nope", null, 404)).contains("no managed certificate nope");
        assertThat(problem("GET", "/api/managed-certificates/nope/deliveries", null, 404)).isNotBlank();
    }

    @Test
    void theOpenApiDescriptionListsTheNewOperations() {
        String description = api.get("/v3/api-docs", ADMIN).body();
        assertThat(description).contains("/api/managed-certificates/{id}/versions/{version}/pem",
                "/api/managed-certificates/{id}/deliveries", "/api/certificate-tokens/{id}/rotate",
                "/api/certificate-tokens/{id}/revoke");
    }

    @Test
    void everyOperationNeedsItsPermission() {
        user("viewer", "certificates.view");
        user("manager", "certificates.manage");
        user("tokens", "tokens.manage");
        String viewer = basic("viewer", "viewer-long-password");
        String manager = basic("manager", "manager-long-password");
        String tokens = basic("tokens", "tokens-long-password");

        assertThat(api.send("POST", "/api/managed-certificates", managed("p1", "edge", "p1.edge.test"), viewer).status())
                .isEqualTo(403);
        Response made = api.send("POST", "/api/managed-certificates", managed("p1", "edge", "p1.edge.test"), manager);
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String id = made.json().get("id").asString();
        assertThat(api.get("/api/managed-certificates/" + id, viewer).status()).isEqualTo(200);
        assertThat(api.get("/api/managed-certificates/" + id + "/deliveries", viewer).status()).isEqualTo(200);
        assertThat(api.get("/api/managed-certificates/" + id, tokens).status()).isEqualTo(403);
        assertThat(api.get("/api/managed-certificates/" + id, null).status()).isEqualTo(401);

        String body = "{\"managedCertificateId\":\"" + id + "\",\"name\":\"edge\"}";
        assertThat(api.send("POST", "/api/certificate-tokens", body, manager).status()).isEqualTo(403);
        assertThat(api.get("/api/certificate-tokens", viewer).status()).isEqualTo(403);
        Response token = api.send("POST", "/api/certificate-tokens", body, tokens);
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        String tokenId = token.json().get("token").get("id").asString();
        assertThat(api.send("POST", "/api/certificate-tokens/" + tokenId + "/revoke", null, viewer).status())
                .isEqualTo(403);
        assertThat(api.send("POST", "/api/certificate-tokens/" + tokenId + "/revoke", null, tokens).status())
                .isEqualTo(200);
    }

    @Test
    void theHmacKeyIsShownOnceAndSealedAtRest() {
        String managed = delivery.managedCertificate("sealed", "edge", List.of("sealed.edge.test"));
        JsonNode created = delivery.token(managed, ",\"expiresAt\":\"" + clock.instant().plus(Duration.ofDays(365))
                + "\",\"maxAccounts\":3");
        String hmac = created.get("hmacKey").asString();
        String tokenId = created.get("token").get("id").asString();
        assertThat(Base64.getUrlDecoder().decode(hmac)).hasSize(32);
        assertThat(created.get("keyId").asString()).startsWith("cpt_");
        assertThat(created.get("token").get("state").asString()).isEqualTo("active");
        assertThat(created.get("token").get("maxAccounts").asInt()).isEqualTo(3);

        assertThat(api.get("/api/certificate-tokens?managedCertificateId=" + managed, ADMIN).body())
                .contains(tokenId).doesNotContain(hmac);
        Response detail = api.get("/api/certificate-tokens/" + tokenId, ADMIN);
        assertThat(detail.body()).doesNotContain(hmac).contains("\"directoryUrl\":\"https://localhost:" + port
                + "/acme/edge/directory\"");
        String stored = jdbc.sql("select hmac_key from delivery_tokens where id = :id").param("id", tokenId)
                .query(String.class).single();
        assertThat(stored).doesNotContain(hmac);
        assertThat(stored).startsWith("v1.").hasSizeGreaterThan(hmac.length() + 16);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<JsonNode> events = delivery.audit("certificate-token.created", tokenId);
            assertThat(events).hasSize(1);
            assertThat(events.get(0).toString()).doesNotContain(hmac);
        });

        String trust = delivery.managedCertificate("trusting", "default", List.of("trusting.example.test"));
        assertThat(problem("POST", "/api/certificate-tokens", "{\"managedCertificateId\":\"" + trust
                + "\",\"name\":\"t\"}", 400)).contains("does not take certificate tokens");
        assertThat(problem("POST", "/api/certificate-tokens", "{\"managedCertificateId\":\"nope\",\"name\":\"t\"}", 400))
                .contains("no managed certificate nope");
        assertThat(problem("POST", "/api/certificate-tokens", "{\"managedCertificateId\":\"" + managed
                + "\",\"name\":\"t\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}", 400)).contains("expiresAt must be in the future");
        assertThat(problem("POST", "/api/certificate-tokens", "{\"managedCertificateId\":\"" + managed
                + "\",\"name\":\"t\",\"expiresAt\":\"+99999-01-01T00:00:00Z\"}", 400)).contains("within 3650 days");
        assertThat(problem("POST", "/api/certificate-tokens", "{\"managedCertificateId\":\"" + managed
                + "\",\"name\":\"t\",\"maxAccounts\":0}", 400)).contains("maxAccounts");
        assertThat(problem("POST", "/api/certificate-tokens", "{\"managedCertificateId\":\"" + managed
                + "\",\"name\":\"t\",\"expiresAt\":\"tomorrow\"}", 400)).contains("field 'expiresAt'");
        assertThat(problem("POST", "/api/certificate-tokens/nope/rotate", null, 404)).contains("no certificate token nope");
    }

    @Test
    void aBindingMustBeMacedWithTheTokensKeyOverThisUrlAndThisKey() throws Exception {
        String managed = delivery.managedCertificate("eab", "edge", List.of("eab.edge.test"));
        JsonNode token = delivery.token(managed, "");
        String kid = token.get("keyId").asString();
        byte[] hmac = hmac(token);
        KeyPair key = TestJws.newKeyPair("ES256");
        String url = acme.base() + "new-account";

        Reply missing = newAccount(key, null);
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.type()).isEqualTo("externalAccountRequired");
        assertThat(missing.detail()).contains("--eab-kid");
        assertThat(acme.send("GET", acme.base() + "directory", null, null).json().get("meta")
                .get("externalAccountRequired").asBoolean()).isTrue();

        Reply unknown = newAccount(key, externalAccountBinding("HS256", "cpt_nobody", url, hmac, key.getPublic()));
        assertThat(unknown.type()).isEqualTo("unauthorized");
        assertThat(unknown.detail()).contains("no certificate token with key id \"cpt_nobody\"");

        byte[] wrong = hmac.clone();
        wrong[5] ^= 1;
        Reply badMac = newAccount(key, externalAccountBinding("HS256", kid, url, wrong, key.getPublic()));
        assertThat(badMac.type()).isEqualTo("unauthorized");
        assertThat(badMac.detail()).contains("MAC does not verify");

        Reply otherUrl = newAccount(key, externalAccountBinding("HS256", kid, "https://localhost:" + port
                + "/acme/default/new-account", hmac, key.getPublic()));
        assertThat(otherUrl.type()).isEqualTo("malformed");
        assertThat(otherUrl.detail()).contains("must be the newAccount URL " + url);

        KeyPair other = TestJws.newKeyPair("ES256");
        Reply otherKey = newAccount(key, externalAccountBinding("HS256", kid, url, hmac, other.getPublic()));
        assertThat(otherKey.type()).isEqualTo("malformed");
        assertThat(otherKey.detail()).contains("must be the account key from the outer JWS");

        Map<String, Object> none = new LinkedHashMap<>(Map.of("alg", "none", "kid", kid, "url", url));
        Reply algNone = newAccount(key, TestJws.macedBinding("HS256", json(none), json(TestJws.jwk(key.getPublic())),
                hmac));
        assertThat(algNone.type()).isEqualTo("badSignatureAlgorithm");

        Reply notAJws = newAccount(key, "a string");
        assertThat(notAJws.type()).isEqualTo("malformed");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                delivery.audit("certificate-token.bound", token.get("token").get("id").asString()).stream()
                        .filter(e -> e.get("outcome").asString().equalsIgnoreCase("failure"))
                        .map(e -> e.get("details").get("reason").asString()).toList())
                .anyMatch(reason -> reason.contains("MAC does not verify")));

        for (String alg : List.of("HS256", "HS384", "HS512")) {
            KeyPair fresh = TestJws.newKeyPair("ES256");
            Reply bound = newAccount(fresh, externalAccountBinding(alg, kid, url, hmac, fresh.getPublic()));
            assertThat(bound.status()).as(bound.body()).isEqualTo(201);
        }
        assertThat(delivery.get("/api/certificate-tokens/" + token.get("token").get("id").asString()).get("bindings")
                .size()).isEqualTo(3);
    }

    @Test
    void aBoundAccountOrdersOnlyItsTokensNamesWithoutChallenges() throws Exception {
        String managed = delivery.managedCertificate("scoped", "edge", List.of("a.scoped.edge.test", "b.scoped.edge.test"));
        JsonNode token = delivery.token(managed, "");
        KeyPair key = TestJws.newKeyPair("ES256");
        String account = bind(key, token);

        Reply outside = order(key, account, "a.scoped.edge.test", "c.scoped.edge.test", "d.edge.test");
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.type()).isEqualTo("rejectedIdentifier");
        assertThat(outside.json().get("subproblems").valueStream().map(p -> p.get("identifier").get("value").asString())
                .toList()).containsExactly("c.scoped.edge.test", "d.edge.test");
        assertThat(outside.detail()).contains("c.scoped.edge.test", "d.edge.test");

        Reply wildcard = order(key, account, "*.scoped.edge.test");
        assertThat(wildcard.type()).isEqualTo("rejectedIdentifier");
        assertThat(wildcard.detail()).contains("outside the scope of certificate token");

        Reply subset = order(key, account, "B.Scoped.Edge.Test");
        assertThat(subset.status()).as(subset.body()).isEqualTo(201);
        assertThat(subset.json().get("status").asString()).isEqualTo("ready");
        String authorization = subset.json().get("authorizations").get(0).asString();
        Reply authz = acme.postUrl(authorization, sign(key, "ES256", kidHeader("ES256", account, acme.nonce(),
                authorization), ""));
        assertThat(authz.json().get("status").asString()).isEqualTo("valid");
        assertThat(authz.json().get("challenges").size()).isZero();

        KeyPair defaultKey = TestJws.newKeyPair("ES256");
        RawAcme trust = new RawAcme(port, certplane.caBundleFile(), "default");
        Reply registered = trust.post("new-account", sign(defaultKey, "ES256", jwkHeader("ES256",
                defaultKey.getPublic(), trust.nonce(), trust.base() + "new-account"), "{\"termsOfServiceAgreed\":true}"));
        Reply foreign = acme.post("new-order", sign(defaultKey, "ES256", kidHeader("ES256", registered.location(),
                acme.nonce(), acme.base() + "new-order"), RawAcme.order("a.scoped.edge.test")));
        assertThat(foreign.type()).isEqualTo("accountDoesNotExist");
    }

    @Test
    void concurrentRegistrationsCannotExceedTheTokensAccountLimit() throws Exception {
        String managed = delivery.managedCertificate("limited", "edge", List.of("limited.edge.test"));
        JsonNode token = delivery.token(managed, ",\"maxAccounts\":2");
        byte[] hmac = hmac(token);
        String kid = token.get("keyId").asString();
        List<Callable<Reply>> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            KeyPair key = TestJws.newKeyPair("ES256");
            attempts.add(() -> newAccount(key, externalAccountBinding("HS256", kid, acme.base() + "new-account",
                    hmac, key.getPublic())));
        }
        List<Reply> replies = concurrently(attempts);
        assertThat(replies.stream().filter(r -> r.status() == 201)).hasSize(2);
        List<Reply> refused = replies.stream().filter(r -> r.status() != 201).toList();
        assertThat(refused).hasSize(4).allSatisfy(r -> {
            assertThat(r.type()).isEqualTo("unauthorized");
            assertThat(r.detail()).contains("allows 2 ACME accounts and that many are bound already");
        });
        assertBound(kid, 2);
    }

    @Test
    void oneKeyRegisteringConcurrentlyGetsOneAccountAndOneBinding() throws Exception {
        String managed = delivery.managedCertificate("racing", "edge", List.of("racing.edge.test"));
        JsonNode token = delivery.token(managed, "");
        byte[] hmac = hmac(token);
        String kid = token.get("keyId").asString();
        KeyPair key = TestJws.newKeyPair("ES256");
        Callable<Reply> attempt = () -> newAccount(key, externalAccountBinding("HS256", kid,
                acme.base() + "new-account", hmac, key.getPublic()));
        List<Reply> replies = concurrently(List.of(attempt, attempt, attempt, attempt));
        assertThat(replies).allSatisfy(r -> assertThat(r.status()).as(r.body()).isIn(200, 201));
        assertThat(replies.stream().map(Reply::location).distinct()).hasSize(1);
        assertBound(kid, 1);
    }

    private static List<Reply> concurrently(List<Callable<Reply>> requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(requests.size());
        try {
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> reply : pool.invokeAll(requests)) {
                replies.add(reply.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertBound(String kid, int accounts) {
        assertThat(jdbc.sql("select count(*) from acme_accounts a join delivery_bindings b on b.account_id = a.id"
                + " join delivery_tokens t on t.id = b.token_id where t.key_id = :kid").param("kid", kid)
                .query(Integer.class).single()).isEqualTo(accounts);
    }

    @Test
    void revokingExpiringOrRotatingATokenStopsItsAccountsAtOnce() throws Exception {
        String managed = delivery.managedCertificate("lifecycle", "edge", List.of("life.edge.test"));

        JsonNode revoked = delivery.token(managed, "");
        KeyPair first = TestJws.newKeyPair("ES256");
        String firstAccount = bind(first, revoked);
        assertThat(order(first, firstAccount, "life.edge.test").status()).isEqualTo(201);
        delivery.revoke(revoked);
        Reply afterRevoke = order(first, firstAccount, "life.edge.test");
        assertThat(afterRevoke.status()).isEqualTo(403);
        assertThat(afterRevoke.type()).isEqualTo("unauthorized");
        assertThat(afterRevoke.detail()).contains("certificate token " + revoked.get("keyId").asString() + " was revoked at");
        assertThat(problem("POST", "/api/certificate-tokens/" + revoked.get("token").get("id").asString() + "/revoke",
                null, 409)).contains("revoked already");
        assertThat(problem("POST", "/api/certificate-tokens/" + revoked.get("token").get("id").asString() + "/rotate",
                null, 409)).contains("is revoked");

        JsonNode expiring = delivery.token(managed, ",\"expiresAt\":\"" + clock.instant().plus(Duration.ofDays(365)) + "\"");
        KeyPair second = TestJws.newKeyPair("ES256");
        String secondAccount = bind(second, expiring);
        String expiringId = expiring.get("token").get("id").asString();
        jdbc.sql("update delivery_tokens set expires_at = :past where id = :id")
                .param("past", java.sql.Timestamp.from(clock.instant().minusSeconds(5))).param("id", expiringId).update();
        Reply afterExpiry = order(second, secondAccount, "life.edge.test");
        assertThat(afterExpiry.type()).isEqualTo("unauthorized");
        assertThat(afterExpiry.detail()).contains("expired at");
        assertThat(delivery.get("/api/certificate-tokens/" + expiringId).get("token").get("state").asString())
                .isEqualTo("expired");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(delivery.audit("certificate-token.expired", expiringId)).hasSize(1));

        JsonNode rotating = delivery.token(managed, "");
        String rotatingId = rotating.get("token").get("id").asString();
        KeyPair third = TestJws.newKeyPair("ES256");
        String thirdAccount = bind(third, rotating);
        Response rotated = api.send("POST", "/api/certificate-tokens/" + rotatingId + "/rotate", "{}", ADMIN);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        assertThat(rotated.json().get("keyId").asString()).isEqualTo(rotating.get("keyId").asString());
        assertThat(rotated.json().get("hmacKey").asString()).isNotEqualTo(rotating.get("hmacKey").asString());
        KeyPair fourth = TestJws.newKeyPair("ES256");
        assertThat(newAccount(fourth, externalAccountBinding("HS256", rotating.get("keyId").asString(),
                acme.base() + "new-account", hmac(rotating), fourth.getPublic())).detail()).contains("MAC does not verify");
        String fourthAccount = bind(fourth, rotated.json());
        assertThat(order(third, thirdAccount, "life.edge.test").status()).isEqualTo(201);

        Response cutOff = api.send("POST", "/api/certificate-tokens/" + rotatingId + "/rotate",
                "{\"unbindAccounts\":true}", ADMIN);
        assertThat(cutOff.status()).isEqualTo(200);
        for (Map.Entry<KeyPair, String> bound : Map.of(third, thirdAccount, fourth, fourthAccount).entrySet()) {
            Reply refused = order(bound.getKey(), bound.getValue(), "life.edge.test");
            assertThat(refused.type()).isEqualTo("unauthorized");
            assertThat(refused.detail()).contains("was removed at").contains("when the token's key was rotated");
        }
        KeyPair fifth = TestJws.newKeyPair("ES256");
        String fifthAccount = bind(fifth, cutOff.json());
        assertThat(order(fifth, fifthAccount, "life.edge.test").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(delivery.audit("certificate-token.rotated", rotatingId)).hasSize(2);
            assertThat(delivery.audit("certificate-token.revoked", revoked.get("token").get("id").asString()))
                    .hasSize(1);
        });
    }

    @Test
    void aTokenBindsOnlyInItsOwnProfilesDirectory() throws Exception {
        Response lab = api.send("POST", "/api/acme/profiles", "{\"name\":\"edge-lab\",\"authMode\":\"token\","
                + "\"allowedDomains\":[\".edge.test\"],\"validity\":\"30d\"}", ADMIN);
        assertThat(lab.status()).as(lab.body()).isEqualTo(201);
        String managed = delivery.managedCertificate("profiled", "edge", List.of("profiled.edge.test"));
        JsonNode token = delivery.token(managed, "");
        RawAcme other = new RawAcme(port, certplane.caBundleFile(), "edge-lab");
        KeyPair key = TestJws.newKeyPair("ES256");
        String url = other.base() + "new-account";
        Reply refused = other.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), other.nonce(),
                url), json(Map.of("termsOfServiceAgreed", true, "externalAccountBinding", externalAccountBinding("HS256",
                        token.get("keyId").asString(), url, hmac(token), key.getPublic())))));
        assertThat(refused.type()).isEqualTo("unauthorized");
        assertThat(refused.detail()).contains("of profile 'edge'; register in that profile's directory");
    }

    private String bind(KeyPair key, JsonNode token) throws Exception {
        Reply reply = newAccount(key, externalAccountBinding("HS256", token.get("keyId").asString(),
                acme.base() + "new-account", hmac(token), key.getPublic()));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.location();
    }

    private Reply newAccount(KeyPair key, Object binding) throws Exception {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("termsOfServiceAgreed", true);
        if (binding != null) {
            payload.put("externalAccountBinding", binding);
        }
        Reply reply = acme.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(),
                acme.base() + "new-account"), json(payload)));
        assertThat(reply.status()).as(reply.body()).isLessThan(500);
        return reply;
    }

    private Reply order(KeyPair key, String account, String... names) throws Exception {
        Reply reply = acme.post("new-order", sign(key, "ES256", kidHeader("ES256", account, acme.nonce(),
                acme.base() + "new-order"), RawAcme.order(names)));
        assertThat(reply.status()).as(reply.body()).isLessThan(500);
        return reply;
    }

    private static byte[] hmac(JsonNode token) {
        return Base64.getUrlDecoder().decode(token.get("hmacKey").asString());
    }

    private static String managed(String name, String profile, String dnsName) {
        return "{\"name\":\"" + name + "\",\"profile\":\"" + profile + "\",\"names\":[\"" + dnsName + "\"]}";
    }

    private void user(String name, String permission) {
        Response created = api.send("POST", "/api/users", "{\"username\":\"" + name + "\",\"password\":\"" + name
                + "-long-password\",\"permissions\":[\"" + permission + "\"]}", ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    /** The problem detail of a request that must fail with {@code status}. */
    private String problem(String method, String path, String body, int status) {
        Response response = api.send(method, path, body, ADMIN);
        assertThat(response.status()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return response.json().get("detail").asString();
    }
}
