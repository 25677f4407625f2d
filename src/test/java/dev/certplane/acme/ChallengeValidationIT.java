package dev.certplane.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.certplane.acme.protocol.TestJws.jwkHeader;
import static dev.certplane.acme.protocol.TestJws.kidHeader;
import static dev.certplane.acme.protocol.TestJws.sign;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;

import dev.certplane.acme.protocol.TestJws;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.AcmeClients;
import dev.certplane.support.ApiClient;
import dev.certplane.support.Bind9;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.IntegrationTestConfig;
import dev.certplane.support.MutableClock;
import dev.certplane.support.RawAcme;
import dev.certplane.support.RawAcme.Reply;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;

/**
 * The {@code challenge} auth mode against the real network on loopback: unmodified lego and certbot prove
 * control with their own HTTP-01 and TLS-ALPN-01 servers and with DNS-01 records they publish in a real BIND 9
 * through RFC 2136 updates, which our validator then looks up through that BIND. Hostile and broken set-ups end
 * in an invalid challenge whose error says what was tried, never in a 5xx.
 */
@CertplaneIT
@TestPropertySource(properties = {
        "certplane.acme.profiles.public.auth-mode=challenge",
        "certplane.acme.profiles.public.allowed-domains=.challenge.test",
        "certplane.acme.profiles.public.allowed-ip-ranges=127.0.0.0/8",
        "certplane.acme.profiles.guarded.auth-mode=challenge",
        "certplane.acme.profiles.guarded.allowed-domains=.guarded.test",
        "certplane.acme.profiles.guarded.caa=true",
        "certplane.acme.profiles.guarded.caa-identities=ca.certplane.test",
        "certplane.acme.validation.allowed-networks=127.0.0.0/8",
        "certplane.acme.validation.deadline=15s",
        "certplane.acme.validation.recovery-interval=1s"})
class ChallengeValidationIT {

    static final Bind9 BIND = Bind9.shared();
    static final int HTTP01_PORT = AcmeClients.freeLoopbackPort();
    static final int TLS_ALPN01_PORT = AcmeClients.freeLoopbackPort();
    static final String ADMIN = ApiClient.basic("admin", IntegrationTestConfig.ADMIN_PASSWORD);

    @DynamicPropertySource
    static void validationNetwork(DynamicPropertyRegistry registry) {
        registry.add("certplane.acme.validation.dns-resolvers", BIND::address);
        registry.add("certplane.acme.validation.http01-port", () -> HTTP01_PORT);
        registry.add("certplane.acme.validation.tls-alpn01-port", () -> TLS_ALPN01_PORT);
    }

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MutableClock clock;

    @Test
    void legoProvesHttp01WithItsOwnServer(@TempDir Path work) {
        String name = host("lego-http");
        var lego = AcmeClients.lego(directory("public"), certplane.caBundleFile(), work).withHttp01Listener(HTTP01_PORT);

        lego.run(List.of(name));

        assertThat(AcmeClients.dnsNames(lego.issued(name))).containsExactly(name);
        JsonNode event = validated(name);
        assertThat(event.at("/details/type").asString()).isEqualTo("http-01");
        assertThat(event.at("/outcome").asString()).isEqualToIgnoringCase("success");
        assertThat(event.at("/details/steps").asString()).contains("resolved " + name + " via " + BIND.address())
                .contains("GET http://" + name + ":" + HTTP01_PORT + "/.well-known/acme-challenge/");
    }

    @Test
    void certbotStandaloneProvesHttp01ForSeveralNames(@TempDir Path work) {
        String first = host("certbot-a");
        String second = host("certbot-b");
        var certbot = AcmeClients.certbot(directory("public"), certplane.caBundleFile(), work)
                .withHttp01Listener(HTTP01_PORT);

        certbot.certonly("pair", List.of(first, second));

        assertThat(AcmeClients.dnsNames(certbot.issued("pair"))).containsExactlyInAnyOrder(first, second);
        assertThat(validated(second).at("/details/type").asString()).isEqualTo("http-01");
    }

    @Test
    void legoProvesTlsAlpn01WithItsOwnServer(@TempDir Path work) {
        String name = host("lego-tls");
        var lego = AcmeClients.lego(directory("public"), certplane.caBundleFile(), work)
                .withTlsAlpn01Listener(TLS_ALPN01_PORT);

        lego.run(List.of(name));

        assertThat(AcmeClients.dnsNames(lego.issued(name))).containsExactly(name);
        assertThat(validated(name).at("/details/steps").asString())
                .contains("ALPN acme-tls/1").contains("SNI " + name);
    }

    @Test
    void legoProvesDns01ThroughRfc2136IncludingAWildcard(@TempDir Path work) {
        String base = "dns-" + unique() + ".challenge.test";
        var lego = AcmeClients.lego(directory("public"), certplane.caBundleFile(), work)
                .withRfc2136(BIND.address(), Bind9.TSIG_KEY, Bind9.TSIG_ALGORITHM, BIND.tsigSecret());

        lego.run(List.of("*." + base, base));

        assertThat(AcmeClients.dnsNames(lego.issued("*." + base))).containsExactlyInAnyOrder("*." + base, base);
        JsonNode event = validated("*." + base);
        assertThat(event.at("/details/type").asString()).isEqualTo("dns-01");
        assertThat(event.at("/details/steps").asString()).contains("TXT _acme-challenge." + base + " via " + BIND.address());
    }

    @Test
    void caddyProvesControlWithItsOwnServersAndServesTheCertificate(@TempDir Path work) {
        String name = host("caddy");
        try (var caddy = AcmeClients.caddy(directory("public"), certplane.caBundleFile(), work)
                .onPorts(HTTP01_PORT, TLS_ALPN01_PORT).serve(name)) {
            var served = caddy.awaitServed();

            assertThat(AcmeClients.dnsNames(served.chain().get(0))).containsExactly(name);
            assertThat(served.body()).isEqualTo(AcmeClients.Caddy.BODY);
        }
        assertThat(validated(name).at("/details/type").asString()).isIn("http-01", "tls-alpn-01");
        assertThat(validated(name).at("/outcome").asString()).isEqualToIgnoringCase("success");
    }

    @Test
    void aWildcardIsOfferedOnlyDns01AndAnIpAddressNoDns01() throws Exception {
        Login login = AcmeServerIT.newAccount(session("public"));
        Order order = login.getAccount().newOrder().identifier(Identifier.dns("*.offer.challenge.test"))
                .identifier(Identifier.dns("offer.challenge.test")).identifier(Identifier.ip("127.0.0.1")).create();

        assertThat(order.getStatus()).isEqualTo(Status.PENDING);
        assertThat(order.getAuthorizations()).extracting(a -> a.getIdentifier().getValue() + (a.isWildcard() ? "*" : "")
                + " " + a.getStatus() + " " + a.getChallenges().stream().map(Challenge::getType).sorted().toList())
                .containsExactlyInAnyOrder(
                        "offer.challenge.test* PENDING [dns-01]",
                        "offer.challenge.test PENDING [dns-01, http-01, tls-alpn-01]",
                        "127.0.0.1 PENDING [http-01, tls-alpn-01]");
    }

    @Test
    void anIpAddressIsProvenOverHttp01AndTheOrderBecomesReady() throws Exception {
        Login login = AcmeServerIT.newAccount(session("public"));
        Order order = login.getAccount().newOrder().identifier(Identifier.ip("127.0.0.1")).create();
        Http01Challenge challenge = only(order).findChallenge(Http01Challenge.class).orElseThrow();

        try (var server = serve(path -> challenge.getAuthorization())) {
            challenge.trigger();
            assertThat(challenge.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.VALID);
        }
        assertThat(challenge.getValidated()).isPresent();
        order.fetch();
        assertThat(order.getStatus()).isEqualTo(Status.READY);
    }

    @Test
    void whileAChallengeIsBeingValidatedTheClientIsAskedToWait() throws Exception {
        Login login = AcmeServerIT.newAccount(session("public"));
        String name = host("slow");
        Authorization authorization = only(login.getAccount().newOrder().domain(name).create());
        Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class).orElseThrow();

        try (var server = serve(path -> {
            sleep(3000);
            return challenge.getAuthorization();
        })) {
            challenge.trigger();
            assertThat(challenge.getStatus()).isEqualTo(Status.PROCESSING);
            assertThat(challenge.fetch()).as("Retry-After on the challenge").isPresent();
            assertThat(authorization.fetch()).as("Retry-After on the authorization").isPresent();
            assertThat(authorization.getStatus()).isEqualTo(Status.PENDING);
            assertThat(challenge.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.VALID);
        }
        authorization.fetch();
        assertThat(authorization.getStatus()).isEqualTo(Status.VALID);
    }

    @Test
    void aWrongKeyAuthorizationEndsInvalidSayingWhatWasReceived() throws Exception {
        Login login = AcmeServerIT.newAccount(session("public"));
        String name = host("wrong");
        Order order = login.getAccount().newOrder().domain(name).create();
        Http01Challenge challenge = only(order).findChallenge(Http01Challenge.class).orElseThrow();

        try (var server = serve(path -> "not-the-key-authorization")) {
            challenge.trigger();
            assertThat(challenge.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.INVALID);
        }
        Problem error = challenge.getError().orElseThrow();
        assertThat(error.getType().toString()).isEqualTo("urn:ietf:params:acme:error:incorrectResponse");
        assertThat(error.getDetail().orElseThrow()).contains("received \"not-the-key-authorization\"")
                .contains("expected \"" + challenge.getAuthorization() + "\"")
                .contains("http://" + name + ":" + HTTP01_PORT + "/.well-known/acme-challenge/" + challenge.getToken());
        order.fetch();
        assertThat(order.getStatus()).isEqualTo(Status.INVALID);
        assertThat(validated(name).at("/outcome").asString()).isEqualToIgnoringCase("failure");
    }

    @Test
    void aMissingTxtRecordEndsInvalid() throws Exception {
        Login login = AcmeServerIT.newAccount(session("public"));
        String name = "missing-" + unique() + ".challenge.test";
        Dns01Challenge challenge = only(login.getAccount().newOrder().domain(name).create())
                .findChallenge(Dns01Challenge.class).orElseThrow();

        challenge.trigger();

        assertThat(challenge.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.INVALID);
        Problem error = challenge.getError().orElseThrow();
        assertThat(error.getType().toString()).isEqualTo("urn:ietf:params:acme:error:dns");
        assertThat(error.getDetail().orElseThrow())
                .isEqualTo("DNS problem: NXDOMAIN looking up TXT for _acme-challenge." + name + " (resolvers "
                        + BIND.address() + ")");
    }

    @Test
    void aWrongTxtRecordIsNamedWithTheExpectedValue() throws Exception {
        Login login = AcmeServerIT.newAccount(session("public"));
        String name = "stale-" + unique() + ".challenge.test";
        Dns01Challenge challenge = only(login.getAccount().newOrder().domain(name).create())
                .findChallenge(Dns01Challenge.class).orElseThrow();
        BIND.add("_acme-challenge." + name, "TXT", "\"left-over-from-last-time\"");

        challenge.trigger();

        assertThat(challenge.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.INVALID);
        assertThat(challenge.getError().orElseThrow().getDetail().orElseThrow())
                .isEqualTo("incorrect TXT record [\"left-over-from-last-time\"] found at _acme-challenge." + name
                        + "; expected \"" + challenge.getDigest() + "\"");
    }

    @Test
    void caaNamingAnotherCaForbidsIssuanceAndCaaNamingUsAllowsIt() throws Exception {
        Login login = AcmeServerIT.newAccount(session("guarded"));
        String forbidden = "other-" + unique() + ".guarded.test";
        String allowed = "ours-" + unique() + ".guarded.test";
        BIND.add(forbidden, "CAA", "0 issue \"other-ca.example\"");
        BIND.add(allowed, "CAA", "0 issue \"ca.certplane.test; validationmethods=dns-01\"");

        Dns01Challenge refused = dnsChallengeWithRecord(login, forbidden);
        Dns01Challenge accepted = dnsChallengeWithRecord(login, allowed);

        assertThat(refused.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.INVALID);
        Problem error = refused.getError().orElseThrow();
        assertThat(error.getType().toString()).isEqualTo("urn:ietf:params:acme:error:caa");
        assertThat(error.getDetail().orElseThrow()).isEqualTo("CAA records at " + forbidden
                + " do not allow this CA to issue for " + forbidden + " (0 issue \"other-ca.example\": it names"
                + " other-ca.example, this CA is ca.certplane.test)");
        assertThat(accepted.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.VALID);
    }

    @Test
    void caaIsLookedUpAgainAtFinalizationWhenTheValidationIsOlderThanEightHours() throws Exception {
        Login login = AcmeServerIT.newAccount(session("guarded"));
        String name = "changed-" + unique() + ".guarded.test";
        BIND.add(name, "CAA", "0 issue \"ca.certplane.test\"");
        Order order = login.getAccount().newOrder().domain(name).create();
        Dns01Challenge challenge = only(order).findChallenge(Dns01Challenge.class).orElseThrow();
        BIND.add(challenge.getRRName(name), "TXT", "\"" + challenge.getDigest() + "\"");
        challenge.trigger();
        assertThat(challenge.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.VALID);
        BIND.remove(name, "CAA");
        BIND.add(name, "CAA", "0 issue \"other-ca.example\"");

        var validatedAt = clock.instant();
        clock.advance(Duration.ofHours(9));
        try {
            assertThatThrownBy(() -> order.execute(org.shredzone.acme4j.util.KeyPairUtils.createKeyPair(2048)))
                    .isInstanceOf(AcmeServerException.class)
                    .hasMessage("CAA records at " + name + " do not allow this CA to issue for " + name
                            + " (0 issue \"other-ca.example\": it names other-ca.example, this CA is ca.certplane.test)"
                            + " (looked up again at finalization because " + name + " was validated more than 8 hours ago)");
        } finally {
            clock.set(validatedAt);
        }
        order.fetch();
        assertThat(order.getStatus()).as("the order can still be finalized once CAA allows it").isEqualTo(Status.READY);
    }

    @Test
    void challengeRequestsThatMakeNoSenseAreRefusedPrecisely() throws Exception {
        RawAcme acme = new RawAcme(port, certplane.caBundleFile(), "public");
        KeyPair owner = TestJws.newKeyPair("ES256");
        String ownerKid = register(acme, owner);
        Reply order = acme.post("new-order", sign(owner, "ES256", kidHeader("ES256", ownerKid, acme.nonce(),
                acme.base() + "new-order"), RawAcme.order(host("raw"))));
        assertThat(order.status()).as(order.body()).isEqualTo(201);
        String authorizationUrl = order.json().get("authorizations").get(0).asString();
        Reply authorization = acme.postUrl(authorizationUrl, sign(owner, "ES256", kidHeader("ES256", ownerKid,
                acme.nonce(), authorizationUrl), ""));
        String challengeUrl = authorization.json().get("challenges").get(0).get("url").asString();

        Reply notAnObject = acme.postUrl(challengeUrl, sign(owner, "ES256", kidHeader("ES256", ownerKid, acme.nonce(),
                challengeUrl), "[]"));
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(notAnObject.type()).isEqualTo("malformed");

        KeyPair stranger = TestJws.newKeyPair("ES256");
        String strangerKid = register(acme, stranger);
        Reply foreign = acme.postUrl(challengeUrl, sign(stranger, "ES256", kidHeader("ES256", strangerKid, acme.nonce(),
                challengeUrl), "{}"));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.detail()).isEqualTo("this challenge belongs to another account");

        String unknownUrl = acme.base() + "chall/unknown";
        Reply unknown = acme.postUrl(unknownUrl, sign(owner, "ES256", kidHeader("ES256", ownerKid, acme.nonce(),
                unknownUrl), "{}"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.detail()).isEqualTo("no such challenge in this directory");

        Reply stillPending = acme.postUrl(challengeUrl, sign(owner, "ES256", kidHeader("ES256", ownerKid, acme.nonce(),
                challengeUrl), ""));
        assertThat(stillPending.json().get("status").asString()).isEqualTo("pending");
    }

    private static String register(RawAcme acme, KeyPair key) throws Exception {
        Reply reply = acme.post("new-account", sign(key, "ES256", jwkHeader("ES256", key.getPublic(), acme.nonce(),
                acme.base() + "new-account"), "{\"termsOfServiceAgreed\":true}"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.location();
    }

    @Test
    void aTargetInABlockedNetworkIsNeverContacted() throws Exception {
        Login login = AcmeServerIT.newAccount(session("public"));
        String name = host("internal");
        BIND.remove(name, "A");
        BIND.add(name, "A", "10.20.30.40");
        Http01Challenge challenge = only(login.getAccount().newOrder().domain(name).create())
                .findChallenge(Http01Challenge.class).orElseThrow();

        challenge.trigger();

        assertThat(challenge.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.INVALID);
        Problem error = challenge.getError().orElseThrow();
        assertThat(error.getType().toString()).isEqualTo("urn:ietf:params:acme:error:connection");
        assertThat(error.getDetail().orElseThrow()).isEqualTo("refusing to validate " + name + ": 10.20.30.40 is in a"
                + " blocked network (private, 10.0.0.0/8); certplane.acme.validation.allowed-networks lists networks"
                + " that may be reached anyway");
        assertThat(validated(name).at("/details/steps").asString()).doesNotContain("connected to");
    }

    @Test
    void aSecondChallengeOfTheSameAuthorizationIsRefusedWithoutA5xx() throws Exception {
        Login login = AcmeServerIT.newAccount(session("public"));
        String name = host("twice");
        Authorization authorization = only(login.getAccount().newOrder().domain(name).create());
        Http01Challenge http = authorization.findChallenge(Http01Challenge.class).orElseThrow();
        Dns01Challenge dns = authorization.findChallenge(Dns01Challenge.class).orElseThrow();

        try (var server = serve(path -> {
            sleep(2000);
            return http.getAuthorization();
        })) {
            http.trigger();
            assertThatThrownBy(dns::trigger).isInstanceOf(AcmeServerException.class)
                    .hasMessage("another challenge of this authorization was answered first; an authorization is"
                            + " validated with one challenge");
            assertThat(http.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.VALID);
        }
        dns.fetch();
        assertThat(dns.getStatus()).isEqualTo(Status.PENDING);
    }

    @Test
    void aValidationARestartInterruptedIsFinishedByTheRecoveryTask() throws Exception {
        Login login = AcmeServerIT.newAccount(session("public"));
        String name = "resumed-" + unique() + ".challenge.test";
        Dns01Challenge challenge = only(login.getAccount().newOrder().domain(name).create())
                .findChallenge(Dns01Challenge.class).orElseThrow();
        BIND.add(challenge.getRRName(name), "TXT", "\"" + challenge.getDigest() + "\"");
        // As a replica leaves it when it stops after accepting the answer and starting to validate.
        interrupt(challenge, 1);

        assertThat(challenge.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.VALID);
    }

    @Test
    void aValidationInterruptedTooOftenFailsCleanly() throws Exception {
        Login login = AcmeServerIT.newAccount(session("public"));
        String name = "doomed-" + unique() + ".challenge.test";
        Dns01Challenge challenge = only(login.getAccount().newOrder().domain(name).create())
                .findChallenge(Dns01Challenge.class).orElseThrow();
        interrupt(challenge, 3);

        assertThat(challenge.waitForCompletion(Duration.ofSeconds(20))).isEqualTo(Status.INVALID);
        assertThat(challenge.getError().orElseThrow().getDetail().orElseThrow())
                .isEqualTo("validation was interrupted 3 times (the server stopped while validating); create a new order");
    }

    private void interrupt(Challenge challenge, int attempts) {
        String id = lastSegment(challenge.getLocation().toString());
        var now = clock.instant();
        jdbc.sql("update acme_authorizations set challenge_id = :id where id = (select authorization_id from"
                + " acme_challenges where id = :id)").param("id", id).update();
        assertThat(jdbc.sql("""
                update acme_challenges set status = 'processing', triggered_at = :triggered, lease_until = :lease,
                       attempts = :attempts
                where id = :id and status = 'pending'
                """).param("triggered", java.sql.Timestamp.from(now.minusSeconds(600)))
                .param("lease", java.sql.Timestamp.from(now.minusSeconds(60))).param("attempts", attempts)
                .param("id", id).update()).isEqualTo(1);
    }

    private Dns01Challenge dnsChallengeWithRecord(Login login, String name) throws Exception {
        Dns01Challenge challenge = only(login.getAccount().newOrder().domain(name).create())
                .findChallenge(Dns01Challenge.class).orElseThrow();
        BIND.add(challenge.getRRName(name), "TXT", "\"" + challenge.getDigest() + "\"");
        challenge.trigger();
        return challenge;
    }

    /** The audit event of the validation of {@code identifier}'s challenge, once the audit chain has it. */
    private JsonNode validated(String identifier) {
        ApiClient api = new ApiClient(port, certplane.caBundleFile());
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode items = api.get("/api/audit?action=acme.challenge.validated&size=200", ADMIN).json().get("items");
            for (JsonNode item : items) {
                if (identifier.equals(item.at("/details/identifier").asString())) {
                    return item;
                }
            }
            return null;
        }, event -> event != null);
    }

    /** A fresh name under challenge.test whose A record points at 127.0.0.1. */
    private static String host(String label) {
        String name = label + "-" + unique() + ".challenge.test";
        BIND.add(name, "A", "127.0.0.1");
        return name;
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    }

    private String directory(String profile) {
        return AcmeTesting.directory(port, profile);
    }

    private Session session(String profile) {
        return AcmeTesting.session(port, certplane.caBundleFile(), profile);
    }

    private static Authorization only(Order order) {
        assertThat(order.getAuthorizations()).hasSize(1);
        return order.getAuthorizations().get(0);
    }

    /** An HTTP-01 responder on the validation port that answers every request with {@code body(path)}. */
    private static AutoCloseable serve(Function<String, String> body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), HTTP01_PORT), 10);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/.well-known/acme-challenge/", exchange -> {
            byte[] bytes = body.apply(exchange.getRequestURI().getPath()).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return () -> server.stop(0);
    }

    private static String lastSegment(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
