package dev.certplane.alerts;

import static dev.certplane.support.DeliveryApi.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.ExtendedKeyUsage;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Pem;
import dev.certplane.pki.Serials;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.acme.AcmeTesting;
import dev.certplane.support.ApiClient;
import dev.certplane.support.ApiClient.Part;
import dev.certplane.support.ApiClient.Response;
import dev.certplane.support.CertplaneIT;
import dev.certplane.support.DeliveryApi;
import dev.certplane.support.MutableClock;
import dev.certplane.support.Aiosmtpd;
import dev.certplane.support.Aiosmtpd.Message;
import dev.certplane.support.WebhookReceiver;
import dev.certplane.support.WebhookReceiver.Received;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alert notification channels end to end: channels configured through the API, alerts opened by the expiry check
 * (through the API) or by features through {@link Alerts}, and the notifications received by real local servers —
 * an HTTP server for webhooks and Slack, Debian's aiosmtpd for e-mail (plain, STARTTLS and SMTPS, with a certificate
 * Certplane's built-in CA issued over ACME) — as the sender delivers, retries and gives up.
 */
@CertplaneIT
class NotificationChannelsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final KeyPair KEYS = KeyType.EC_P256.generate();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SIGNING_SECRET = "webhook-signing-secret-0123";

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    Alerts alerts;

    @Autowired
    MutableClock clock;

    ApiClient api;
    DeliveryApi admin;
    WebhookReceiver webhook;
    WebhookReceiver slack;
    Aiosmtpd smtp;

    @TempDir
    Path dir;

    @BeforeEach
    void servers() {
        api = new ApiClient(port, certplane.caBundleFile());
        admin = new DeliveryApi(api);
        webhook = new WebhookReceiver();
        slack = new WebhookReceiver();
        smtp = Aiosmtpd.plain(dir.resolve("smtp"));
    }

    @AfterEach
    void removeChannels() throws Exception {
        for (JsonNode channel : admin.get("/api/notification-channels")) {
            api.send("DELETE", "/api/notification-channels/" + channel.get("id").asString(), null, ADMIN);
        }
        webhook.close();
        slack.close();
        smtp.close();
    }

    @Test
    void anExpiringCertificateReachesEveryChannelWhenTheExpiryCheckOpensItsAlert() {
        String hook = create(Map.of("name", "ops webhook", "type", "webhook", "url", webhook.url() + "/hooks/certplane",
                "signingSecret", SIGNING_SECRET));
        String chat = create(Map.of("name", "ops slack", "type", "slack", "url", slack.url()
                + "/services/T000/B000/slack-token-xyz"));
        String mail = create(Map.of("name", "ops mail", "type", "email", "host", smtp.host(), "port", smtp.port(),
                "security", "none", "from", "certplane@notify.test", "to", List.of("ops@notify.test",
                        "oncall@notify.test")));

        String certificate = importExpiring("shop.notify.test", Duration.ofDays(5));
        Response started = api.send("POST", "/api/certificates/expiry-check", null, ADMIN);
        assertThat(started.status()).as(started.body()).isEqualTo(202);

        Received posted = await().atMost(WAIT).until(() -> about(webhook, certificate), r -> r != null);
        JsonNode body = posted.json();
        assertThat(posted.method()).isEqualTo("POST");
        assertThat(posted.path()).isEqualTo("/hooks/certplane");
        assertThat(posted.headers().get("content-type")).startsWith("application/json");
        assertThat(posted.headers().get("x-certplane-event")).isEqualTo("opened");
        assertThat(posted.headers().get("x-certplane-signature")).isEqualTo("sha256=" + hmac(SIGNING_SECRET,
                posted.raw()));
        assertThat(body.get("event").asString()).isEqualTo("opened");
        assertThat(body.get("test").asBoolean()).isFalse();
        assertThat(body.get("kind").asString()).isEqualTo("certificate_expiry");
        assertThat(body.get("severity").asString()).isEqualTo("high");
        assertThat(body.get("state").asString()).isEqualTo("open");
        assertThat(body.get("key").asString()).isEqualTo("certificate-expiry:" + certificate);
        assertThat(body.get("title").asString()).contains("shop.notify.test");
        assertThat(body.get("message").asString()).contains("shop.notify.test");
        assertThat(body.get("details").get("notAfter").asString()).isNotBlank();
        assertThat(Instant.parse(body.get("openedAt").asString())).isNotNull();
        JsonNode alert = admin.get("/api/alerts/" + body.get("id").asString());
        assertThat(alert.get("target").asString()).isEqualTo("certificate:" + certificate);
        assertThat(posted.headers().get("x-certplane-notification")).isEqualTo(body.get("notificationId").asString());

        Received chatted = await().atMost(WAIT).until(() -> slack.matching(j -> j.toString().contains(certificate))
                .stream().findFirst().orElse(null), r -> r != null);
        assertThat(chatted.path()).isEqualTo("/services/T000/B000/slack-token-xyz");
        JsonNode message = chatted.json();
        assertThat(message.propertyNames().stream().toList()).containsExactly("text", "blocks");
        assertThat(message.get("text").asString()).startsWith("[HIGH] Alert opened: ").contains("shop.notify.test");
        assertThat(message.get("blocks").get(0).get("type").asString()).isEqualTo("header");

        Message email = await().atMost(WAIT).until(() -> smtp.messages().stream()
                .filter(m -> m.text().contains(certificate)).findFirst().orElse(null), m -> m != null);
        assertThat(email.mailFrom()).as(smtp.log()).isEqualTo("certplane@notify.test");
        assertThat(email.rcptTo()).containsExactly("ops@notify.test", "oncall@notify.test");
        assertThat(email.headers().get("subject")).startsWith("[HIGH] Alert opened: ").contains("shop.notify.test");
        assertThat(email.headers().get("to")).isEqualTo("ops@notify.test, oncall@notify.test");
        assertThat(email.text()).contains("Severity: high", "Kind: certificate_expiry", "Target: certificate:"
                + certificate);

        for (String channel : List.of(hook, chat, mail)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(deliveries(channel)).anySatisfy(d -> {
                assertThat(d.get("alert").get("target").asString()).isEqualTo("certificate:" + certificate);
                assertThat(d.get("state").asString()).isEqualTo("sent");
                assertThat(d.get("event").asString()).isEqualTo("opened");
                assertThat(d.get("attempts").asInt()).isEqualTo(1);
            }));
        }
    }

    @Test
    void aServerErrorIsRetriedAfterTheBackoffAndRepeatedFailuresEndFailedWithTheError() {
        webhook.thenAnswer(500);
        String kind = kind();
        String retried = create(Map.of("name", "retried", "type", "webhook", "url", webhook.url() + "/retry",
                "kinds", List.of(kind)));
        slack.always(503, "service busy");
        String broken = create(Map.of("name", "broken", "type", "slack", "url", slack.url() + "/broken",
                "kinds", List.of(kind)));

        alerts.open(kind + ":1", kind, AlertSeverity.WARNING, "thing:1", "Thing one failed", "It failed.");

        JsonNode first = await().atMost(WAIT).until(() -> single(retried),
                d -> d != null && d.get("attempts").asInt() == 1 && d.has("lastError"));
        assertThat(first.get("state").asString()).isEqualTo("pending");
        assertThat(first.get("lastError").asString()).isEqualTo("attempt 1: " + "http://127.0.0.1:" + webhook.port()
                + " answered HTTP 500: scripted 500");
        assertThat(Instant.parse(first.get("nextAttemptAt").asString())).isEqualTo(clock.instant()
                .plus(Duration.ofMinutes(1)));
        assertThat(webhook.received()).hasSize(1);
        // Each attempt is recorded before the clock moves on, or its next time would count from the moved clock.
        await().atMost(WAIT).until(() -> single(broken), d -> d != null && d.has("lastError"));

        clock.advance(Duration.ofMinutes(1));
        JsonNode sent = await().atMost(WAIT).until(() -> single(retried), d -> d.get("state").asString().equals("sent"));
        assertThat(sent.get("attempts").asInt()).isEqualTo(2);
        assertThat(sent.has("lastError")).isFalse();
        assertThat(webhook.received()).hasSize(2);
        assertThat(webhook.received().get(1).body()).isEqualTo(webhook.received().get(0).body());

        await().atMost(WAIT).until(() -> single(broken), d -> d.path("lastError").asString("").startsWith(
                "attempt 2:"));
        int attempt = 3;
        for (Duration delay : List.of(Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2))) {
            clock.advance(delay);
            String recorded = "attempt " + attempt++ + ":";
            await().atMost(WAIT).until(() -> single(broken), d -> d.path("lastError").asString("").startsWith(
                    recorded));
        }
        JsonNode failed = await().atMost(WAIT).until(() -> single(broken),
                d -> d.get("state").asString().equals("failed"));
        assertThat(failed.get("attempts").asInt()).isEqualTo(5);
        assertThat(failed.get("lastError").asString()).isEqualTo("attempt 5: http://127.0.0.1:" + slack.port()
                + " answered HTTP 503: service busy");
        assertThat(failed.has("nextAttemptAt")).isFalse();
        assertThat(slack.received()).hasSize(5);
        await().atMost(WAIT).untilAsserted(() -> assertThat(admin.audit("alert-notification.failed",
                failed.get("id").asString())).singleElement().satisfies(event -> {
                    assertThat(event.get("outcome").asString()).isEqualTo("FAILURE");
                    assertThat(event.get("details").get("error").asString()).contains("HTTP 503");
                    assertThat(event.toString()).doesNotContain("/broken");
                }));
    }

    @Test
    void aRefusalThatCannotPassFailsAtOnce() {
        String kind = kind();
        webhook.always(404, "no_service");
        String gone = create(Map.of("name", "gone", "type", "webhook", "url", webhook.url() + "/gone",
                "kinds", List.of(kind)));
        // A server that requires STARTTLS refuses MAIL on a plain connection: 530, which no retry changes.
        Relay relay = selfSigned();
        try (Aiosmtpd strict = Aiosmtpd.starttls(dir.resolve("strict"), relay.chain(), relay.key())) {
            String refused = create(Map.of("name", "refused", "type", "email", "host", strict.host(), "port",
                    strict.port(), "security", "none", "from", "certplane@notify.test", "to",
                    List.of("ops@notify.test"), "kinds", List.of(kind)));

            alerts.open(kind + ":1", kind, AlertSeverity.CRITICAL, "thing:1", "Thing failed", "It failed.");

            JsonNode http = await().atMost(WAIT).until(() -> single(gone), d -> d != null && d.get("state").asString()
                    .equals("failed"));
            assertThat(http.get("attempts").asInt()).isEqualTo(1);
            assertThat(http.get("lastError").asString()).endsWith("answered HTTP 404: no_service");
            JsonNode mail = await().atMost(WAIT).until(() -> single(refused),
                    d -> d != null && d.get("state").asString().equals("failed"));
            assertThat(mail.get("attempts").asInt()).isEqualTo(1);
            assertThat(mail.get("lastError").asString()).isEqualTo("attempt 1: " + strict.host() + ":" + strict.port()
                    + " answered 530 to MAIL FROM: Must issue a STARTTLS command first");
            assertThat(strict.messages()).isEmpty();
        }
    }

    @Test
    void starttlsAndImplicitTlsDeliverToRelaysWithCertificatesFromTheBuiltInCaAndNothingElse() {
        Relay relay = fromTheBuiltInCa();
        try (Aiosmtpd starttls = Aiosmtpd.starttls(dir.resolve("starttls"), relay.chain(), relay.key());
                Aiosmtpd smtps = Aiosmtpd.smtps(dir.resolve("smtps"), relay.chain(), relay.key())) {
            // The host name is checked against the certificate: a DNS name here, an IP address below.
            String upgraded = create(Map.of("name", "starttls mail", "type", "email", "host", "localhost", "port",
                    starttls.port(), "security", "starttls", "from", "certplane@notify.test", "to",
                    List.of("ops@notify.test")));
            Response sent = api.send("POST", "/api/notification-channels/" + upgraded + "/test", null, ADMIN);
            assertThat(sent.status()).as(sent.body() + starttls.log()).isEqualTo(200);
            assertThat(starttls.messages()).singleElement().satisfies(m -> {
                assertThat(m.mailFrom()).isEqualTo("certplane@notify.test");
                assertThat(m.rcptTo()).containsExactly("ops@notify.test");
                assertThat(m.headers().get("subject")).isEqualTo(
                        "[TEST] [INFO] Alert opened: Test notification from Certplane");
            });

            String implicit = create(Map.of("name", "smtps mail", "type", "email", "host", smtps.host(), "port",
                    smtps.port(), "security", "tls", "from", "certplane@notify.test", "to",
                    List.of("ops@notify.test", "oncall@notify.test"), "kinds", List.of(kind())));
            Response tls = api.send("POST", "/api/notification-channels/" + implicit + "/test", null, ADMIN);
            assertThat(tls.status()).as(tls.body() + smtps.log()).isEqualTo(200);
            assertThat(smtps.messages()).singleElement().satisfies(m -> {
                assertThat(m.rcptTo()).containsExactly("ops@notify.test", "oncall@notify.test");
                assertThat(m.headers().get("to")).isEqualTo("ops@notify.test, oncall@notify.test");
                assertThat(m.text()).contains("notification_test");
            });

            // The password goes only over TLS, with AUTH; aiosmtpd given no authenticator refuses every credential.
            String authenticated = create(Map.of("name", "auth mail", "type", "email", "host", "localhost", "port",
                    starttls.port(), "security", "starttls", "username", "certplane", "password",
                    "smtp-password-31337", "from", "certplane@notify.test", "to", List.of("ops@notify.test")));
            Response denied = api.send("POST", "/api/notification-channels/" + authenticated + "/test", null, ADMIN);
            assertThat(denied.status()).as(denied.body()).isEqualTo(502);
            assertThat(denied.json().get("detail").asString()).isEqualTo("the test notification was not delivered: "
                    + "localhost:" + starttls.port() + " answered 535 to AUTH PLAIN: 5.7.8 Authentication credentials "
                    + "invalid");
            assertThat(denied.json().get("remoteStatus").asInt()).isEqualTo(535);
            assertThat(starttls.messages()).hasSize(1);
        }

        // A certificate the JVM and Certplane's CA bundle do not vouch for: no message, whichever way TLS starts.
        Relay stranger = selfSigned();
        try (Aiosmtpd starttls = Aiosmtpd.starttls(dir.resolve("stranger-starttls"), stranger.chain(), stranger.key());
                Aiosmtpd smtps = Aiosmtpd.smtps(dir.resolve("stranger-smtps"), stranger.chain(), stranger.key())) {
            for (Aiosmtpd server : List.of(starttls, smtps)) {
                String security = server == starttls ? "starttls" : "tls";
                String channel = create(Map.of("name", "untrusted " + security, "type", "email", "host",
                        server.host(), "port", server.port(), "security", security, "from", "certplane@notify.test",
                        "to", List.of("ops@notify.test")));
                Response untrusted = api.send("POST", "/api/notification-channels/" + channel + "/test", null, ADMIN);
                assertThat(untrusted.status()).as(untrusted.body()).isEqualTo(502);
                assertThat(untrusted.json().get("detail").asString()).startsWith(
                        "the test notification was not delivered: TLS with " + server.host() + ":" + server.port()
                                + " failed: ").contains("PKIX path building failed");
                assertThat(server.messages()).isEmpty();
            }
        }
    }

    @Test
    void channelsHearOnlyKindsAndSeveritiesTheyAskForAndEscalationsAndResolutions() {
        String kind = kind();
        String other = kind();
        String severe = create(Map.of("name", "severe only", "type", "webhook", "url", webhook.url() + "/severe",
                "minSeverity", "high", "kinds", List.of(kind)));
        String all = create(Map.of("name", "all of kind", "type", "webhook", "url", slack.url() + "/all",
                "kinds", List.of(kind, other)));
        String disabled = create(Map.of("name", "disabled", "type", "webhook", "url", slack.url() + "/disabled",
                "enabled", false, "kinds", List.of(kind)));

        alerts.open(kind + ":warn", kind, AlertSeverity.WARNING, "thing:warn", "Warned", "A warning.");
        alerts.open(other + ":crit", other, AlertSeverity.CRITICAL, "thing:other", "Other kind", "Critical.");
        alerts.open(kind + ":crit", kind, AlertSeverity.CRITICAL, "thing:crit", "Critical", "Critical.");
        alerts.open(kind + ":warn", kind, AlertSeverity.HIGH, "thing:warn", "Warned louder", "Now high.");
        alerts.open(kind + ":warn", kind, AlertSeverity.HIGH, "thing:warn", "Warned louder", "Still high, new text.");
        alerts.resolve(kind + ":warn", "fixed");

        await().atMost(WAIT).until(() -> webhook.received().size() == 3 && slack.received().size() == 5);
        assertThat(webhook.received().stream().map(r -> r.json().get("event").asString() + " "
                + r.json().get("title").asString()).toList()).containsExactlyInAnyOrder("opened Critical",
                        "updated Warned louder", "resolved Warned louder");
        assertThat(slack.received().stream().map(r -> r.path() + " " + r.json().get("event").asString() + " "
                + r.json().get("title").asString()).toList()).containsExactlyInAnyOrder("/all opened Warned",
                        "/all opened Other kind", "/all opened Critical", "/all updated Warned louder",
                        "/all resolved Warned louder");
        JsonNode resolved = webhook.matching(j -> j.get("event").asString().equals("resolved")).get(0).json();
        assertThat(resolved.get("state").asString()).isEqualTo("resolved");
        assertThat(resolved.get("resolution").asString()).isEqualTo("fixed");
        assertThat(resolved.get("severity").asString()).isEqualTo("high");
        assertThat(deliveries(severe)).hasSize(3);
        assertThat(deliveries(all)).hasSize(5);
        assertThat(deliveries(disabled)).isEmpty();
    }

    @Test
    void theTestEndpointSendsNowAndSaysWhatTheRemoteAnswered() {
        String hook = create(Map.of("name", "tested", "type", "webhook", "url", webhook.url() + "/t", "signingSecret",
                SIGNING_SECRET, "enabled", false));
        Response ok = api.send("POST", "/api/notification-channels/" + hook + "/test", null, ADMIN);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("delivered").asBoolean()).isTrue();
        Received test = webhook.received().get(0);
        assertThat(test.json().get("test").asBoolean()).isTrue();
        assertThat(test.json().get("kind").asString()).isEqualTo("notification_test");
        assertThat(test.headers().get("x-certplane-signature")).isEqualTo("sha256=" + hmac(SIGNING_SECRET, test.raw()));

        webhook.always(500, "database down");
        Response failed = api.send("POST", "/api/notification-channels/" + hook + "/test", null, ADMIN);
        assertThat(failed.status()).as(failed.body()).isEqualTo(502);
        assertThat(failed.contentType()).startsWith("application/problem+json");
        assertThat(failed.json().get("detail").asString()).isEqualTo("the test notification was not delivered: "
                + "http://127.0.0.1:" + webhook.port() + " answered HTTP 500: database down");
        assertThat(failed.json().get("remoteStatus").asInt()).isEqualTo(500);

        String mail = create(Map.of("name", "tested mail", "type", "email", "host", smtp.host(), "port", smtp.port(),
                "security", "none", "from", "certplane@notify.test", "to", List.of("ops@notify.test")));
        Response mailed = api.send("POST", "/api/notification-channels/" + mail + "/test", null, ADMIN);
        assertThat(mailed.status()).as(mailed.body()).isEqualTo(200);
        assertThat(smtp.messages()).as(smtp.log()).singleElement().satisfies(m -> assertThat(m.headers()
                .get("subject")).isEqualTo("[TEST] [INFO] Alert opened: Test notification from Certplane"));

        String starttls = create(Map.of("name", "needs tls", "type", "email", "host", smtp.host(), "port", smtp.port(),
                "from", "certplane@notify.test", "to", List.of("ops@notify.test")));
        Response refused = api.send("POST", "/api/notification-channels/" + starttls + "/test", null, ADMIN);
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.json().get("detail").asString()).endsWith("does not offer STARTTLS; set security to tls or "
                + "none");
        assertThat(api.send("POST", "/api/notification-channels/nope/test", null, ADMIN).status()).isEqualTo(404);
        await().atMost(WAIT).untilAsserted(() -> assertThat(admin.audit("alert-notification-channel.tested", hook))
                .extracting(e -> e.get("outcome").asString()).containsExactlyInAnyOrder("SUCCESS", "FAILURE"));
    }

    @Test
    void badInputIsAProblemThatSaysWhatIsWrong() {
        assertThat(problem("POST", "/api/notification-channels", Map.of("name", "x", "type", "sms"), 400))
                .isEqualTo("type 'sms' is not one of webhook, slack, email");
        assertThat(problem("POST", "/api/notification-channels", Map.of("name", "x", "type", "webhook", "url",
                "ftp://files.notify.test/x"), 400)).isEqualTo("url must use http or https, not ftp");
        assertThat(problem("POST", "/api/notification-channels", Map.of("name", "x", "type", "webhook", "url",
                "http://hooks.notify.test:99999/x"), 400)).isEqualTo("url port 99999 is not a number from 1 to 65535");
        assertThat(problem("POST", "/api/notification-channels", Map.of("name", "x", "type", "email", "host",
                "smtp.notify.test", "from", "certplane@notify.test", "to", List.of("ops(at)notify.test")), 400))
                .isEqualTo("to[0] 'ops(at)notify.test' is not an e-mail address: it has no @");
        assertThat(problem("POST", "/api/notification-channels", Map.of("name", "x", "type", "email", "host",
                "smtp.notify.test", "from", "certplane@", "to", List.of("ops@notify.test")), 400))
                .isEqualTo("from 'certplane@' is not an e-mail address: the domain after @ is missing");
        assertThat(problem("POST", "/api/notification-channels", Map.of("name", "x", "type", "slack", "url",
                "https://hooks.notify.test/x", "host", "smtp.notify.test"), 400))
                .isEqualTo("host is not used by slack channels; they take url");
        assertThat(problem("POST", "/api/notification-channels", Map.of("name", "x", "type", "email", "host",
                "smtp.notify.test", "port", "twenty-five"), 400)).isEqualTo(
                        "field 'port' has a value of the wrong type or format");

        String id = create(Map.of("name", "Taken", "type", "slack", "url", "https://hooks.notify.test/x"));
        assertThat(problem("POST", "/api/notification-channels", Map.of("name", "taken", "type", "slack", "url",
                "https://hooks.notify.test/y"), 409)).isEqualTo("a notification channel named 'taken' exists");
        assertThat(problem("PUT", "/api/notification-channels/" + id, Map.of("name", "Taken", "type", "webhook"), 400))
                .isEqualTo("type cannot change from slack to 'webhook'; create a new channel instead");
        assertThat(problem("PUT", "/api/notification-channels/nope", Map.of("name", "n", "type", "slack"), 404))
                .isEqualTo("there is no notification channel 'nope'");
        assertThat(problem("GET", "/api/notification-channels/" + id + "/deliveries?limit=0", null, 400))
                .isEqualTo("limit must be 1 to 500");
    }

    @Test
    void onlyAdminsChangeChannelsAndSecretsNeverLeave() {
        String url = webhook.url() + "/hooks/secret-path-token-4711?key=query-secret-0815";
        String id = create(Map.of("name", "secretive", "type", "webhook", "url", url, "signingSecret", SIGNING_SECRET));
        String mail = create(Map.of("name", "secret mail", "type", "email", "host", "smtp.notify.test", "security",
                "tls", "username", "certplane", "password", "smtp-password-31337", "from", "certplane@notify.test",
                "to", List.of("ops@notify.test")));
        List<String> secrets = List.of("secret-path-token-4711", "query-secret-0815", SIGNING_SECRET,
                "smtp-password-31337");

        JsonNode shown = admin.get("/api/notification-channels/" + id);
        assertThat(shown.get("endpoint").asString()).isEqualTo("http://127.0.0.1:" + webhook.port());
        assertThat(shown.get("urlSet").asBoolean()).isTrue();
        assertThat(shown.get("signingSecretSet").asBoolean()).isTrue();
        JsonNode shownMail = admin.get("/api/notification-channels/" + mail);
        assertThat(shownMail.get("passwordSet").asBoolean()).isTrue();
        assertThat(shownMail.get("port").asInt()).isEqualTo(465);
        assertThat(shownMail.has("password")).isFalse();

        // Replacing without secrets keeps them: the test notification still goes to the URL, signed as before.
        Response replaced = api.send("PUT", "/api/notification-channels/" + id, JSON.writeValueAsString(Map.of(
                "name", "secretive", "type", "webhook", "minSeverity", "critical")), ADMIN);
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().get("minSeverity").asString()).isEqualTo("critical");
        assertThat(replaced.json().get("signingSecretSet").asBoolean()).isTrue();
        assertThat(api.send("POST", "/api/notification-channels/" + id + "/test", null, ADMIN).status()).isEqualTo(200);
        Received signed = webhook.received().get(0);
        assertThat(signed.path()).isEqualTo("/hooks/secret-path-token-4711?key=query-secret-0815");
        assertThat(signed.headers().get("x-certplane-signature")).isEqualTo("sha256=" + hmac(SIGNING_SECRET,
                signed.raw()));
        Response unsigned = api.send("PUT", "/api/notification-channels/" + id, JSON.writeValueAsString(Map.of(
                "name", "secretive", "signingSecret", "")), ADMIN);
        assertThat(unsigned.json().get("signingSecretSet").asBoolean()).isFalse();
        assertThat(api.send("POST", "/api/notification-channels/" + id + "/test", null, ADMIN).status()).isEqualTo(200);
        assertThat(webhook.received().get(1).headers()).doesNotContainKey("x-certplane-signature");

        String viewer = user("channel-viewer", "certificates.view");
        String manager = user("channel-manager", "certificates.manage");
        assertThat(api.get("/api/notification-channels", viewer).status()).isEqualTo(200);
        assertThat(api.get("/api/notification-channels/" + id + "/deliveries", viewer).status()).isEqualTo(200);
        String body = JSON.writeValueAsString(Map.of("name", "sneaky", "type", "slack", "url", "https://x.test/y"));
        for (String who : List.of(viewer, manager)) {
            assertThat(api.send("POST", "/api/notification-channels", body, who).status()).isEqualTo(403);
            assertThat(api.send("PUT", "/api/notification-channels/" + id, body, who).status()).isEqualTo(403);
            assertThat(api.send("DELETE", "/api/notification-channels/" + id, null, who).status()).isEqualTo(403);
            assertThat(api.send("POST", "/api/notification-channels/" + id + "/test", null, who).status())
                    .isEqualTo(403);
        }
        assertThat(api.get("/api/notification-channels", null).status()).isEqualTo(401);
        assertThat(webhook.received()).hasSize(2);

        for (String path : List.of("/api/notification-channels", "/api/notification-channels/" + id,
                "/api/notification-channels/" + mail)) {
            String text = api.get(path, ADMIN).body();
            secrets.forEach(secret -> assertThat(text).as(path).doesNotContain(secret));
        }
        await().atMost(WAIT).untilAsserted(() -> {
            List<JsonNode> events = admin.get("/api/audit?size=500&target=alert-notification-channel:").get("items")
                    .valueStream().toList();
            assertThat(events).extracting(e -> e.get("action").asString()).contains(
                    "alert-notification-channel.created", "alert-notification-channel.updated",
                    "alert-notification-channel.tested");
            String text = events.toString();
            secrets.forEach(secret -> assertThat(text).doesNotContain(secret));
        });
        assertThat(admin.audit("alert-notification-channel.updated", id).get(0).get("details").get("secretsChanged")
                .asString()).isEqualTo("signingSecret");

        assertThat(api.send("DELETE", "/api/notification-channels/" + id, null, ADMIN).status()).isEqualTo(204);
        assertThat(api.get("/api/notification-channels/" + id, ADMIN).status()).isEqualTo(404);
        await().atMost(WAIT).until(() -> admin.audit("alert-notification-channel.deleted", id).size() == 1);
        assertThat(api.get("/v3/api-docs", ADMIN).body()).contains("/api/notification-channels/{id}/deliveries");
    }

    private String create(Map<String, ?> channel) {
        Response created = api.send("POST", "/api/notification-channels", JSON.writeValueAsString(channel), ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(String.valueOf(channel.get("url")));
        return created.json().get("id").asString();
    }

    private List<JsonNode> deliveries(String channel) {
        return admin.get("/api/notification-channels/" + channel + "/deliveries").valueStream().toList();
    }

    /** The channel's only delivery, or null while it has none. */
    private JsonNode single(String channel) {
        List<JsonNode> all = deliveries(channel);
        assertThat(all).hasSizeLessThanOrEqualTo(1);
        return all.isEmpty() ? null : all.get(0);
    }

    private static Received about(WebhookReceiver receiver, String certificate) {
        return receiver.matching(j -> j.path("key").asString("").equals("certificate-expiry:" + certificate)).stream()
                .findFirst().orElse(null);
    }

    private String problem(String method, String path, Map<String, ?> body, int status) {
        Response response = api.send(method, path, body == null ? null : JSON.writeValueAsString(body), ADMIN);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        return response.json().get("detail").asString();
    }

    private String user(String name, String permission) {
        Response created = api.send("POST", "/api/users", "{\"username\":\"" + name + "\",\"password\":\"" + name
                + "-long-password\",\"permissions\":[\"" + permission + "\"]}", ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return ApiClient.basic(name, name + "-long-password");
    }

    /** A fresh alert kind per test, so alerts other tests raise in the shared application never reach its channels. */
    private static String kind() {
        return "notify_it_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Imports a leaf certificate expiring after {@code left} through the import API; returns its id. */
    private String importExpiring(String name, Duration left) {
        Instant notAfter = clock.instant().plus(left);
        X509Certificate leaf = CertificateSigner.sign(new CertificateSpec("CN=" + name, KEYS.getPublic(),
                Serials.random(), notAfter.minus(Duration.ofDays(90)), notAfter, false, null,
                Set.of(KeyUsageBit.DIGITAL_SIGNATURE), List.of(ExtendedKeyUsage.SERVER_AUTH), List.of(name), List.of(),
                null, null, null), null, KEYS.getPrivate());
        Response imported = api.multipart("/api/certificates/import", List.of(Part.file(name + ".pem",
                Pem.encodeCertificate(leaf).getBytes(StandardCharsets.US_ASCII))), ADMIN);
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        return imported.json().get("results").get(0).get("certificateId").asString();
    }

    /** A mail relay's certificate chain and key, as PEM files its server reads. */
    private record Relay(Path chain, Path key) {
    }

    /**
     * A certificate for localhost and 127.0.0.1 from Certplane's built-in CA, ordered over ACME from a profile the
     * test creates through the API, as an operator would issue one to a mail relay. The CA dates it by the
     * application's clock, TLS checks it by the real one, and other tests in this application move the clock on: the
     * order is made at the real time and the clock then put back where it was.
     */
    private Relay fromTheBuiltInCa() {
        Instant moved = clock.instant();
        clock.set(Instant.now());
        try {
            return orderedFromTheBuiltInCa();
        } finally {
            clock.set(moved);
        }
    }

    private Relay orderedFromTheBuiltInCa() {
        String body = JSON.writeValueAsString(Map.of("name", "smtp-relays", "authMode", "trust_authenticated",
                "allowedDomains", List.of("localhost"), "allowedIpRanges", List.of("127.0.0.0/8"), "validity", "7d"));
        Response existing = api.get("/api/acme/profiles/smtp-relays", ADMIN);
        Response saved = existing.status() == 200 ? api.send("PUT", "/api/acme/profiles/smtp-relays", body, ADMIN)
                : api.send("POST", "/api/acme/profiles", body, ADMIN);
        assertThat(saved.status()).as(saved.body()).isIn(200, 201);
        try {
            Session session = AcmeTesting.session(port, certplane.caBundleFile(), "smtp-relays");
            KeyPair accountKey = KeyType.EC_P256.generate();
            var account = new AccountBuilder().addEmail("ops@notify.test").agreeToTermsOfService()
                    .useKeyPair(accountKey).create(session);
            Login login = session.login(account.getLocation(), accountKey);
            Order order = login.getAccount().newOrder().domain("localhost").identifier(Identifier.ip("127.0.0.1"))
                    .create();
            KeyPair key = KeyType.EC_P256.generate();
            order.execute(key);
            assertThat(order.waitForCompletion(Duration.ofSeconds(10))).isEqualTo(Status.VALID);
            StringWriter chain = new StringWriter();
            order.getCertificate().writeCertificate(chain);
            return relay("built-in-ca", chain.toString(), key);
        } catch (Exception e) {
            throw new AssertionError("the built-in CA did not issue the relay's certificate", e);
        }
    }

    /** A self-signed certificate for localhost and 127.0.0.1 that nothing trusts, valid by the real clock. */
    private Relay selfSigned() {
        KeyPair key = KeyType.EC_P256.generate();
        Instant now = Instant.now();
        X509Certificate certificate = CertificateSigner.sign(new CertificateSpec("CN=localhost", key.getPublic(),
                Serials.random(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)), false, null,
                Set.of(KeyUsageBit.DIGITAL_SIGNATURE), List.of(ExtendedKeyUsage.SERVER_AUTH), List.of("localhost"),
                List.of("127.0.0.1"), null, null, null), null, key.getPrivate());
        return relay("self-signed", Pem.encodeCertificate(certificate), key);
    }

    private Relay relay(String name, String chainPem, KeyPair key) {
        try {
            Path chain = Files.writeString(dir.resolve(name + ".pem"), chainPem, StandardCharsets.US_ASCII);
            Path keyFile = Files.writeString(dir.resolve(name + ".key"), Pem.encodePrivateKey(key.getPrivate()),
                    StandardCharsets.US_ASCII);
            return new Relay(chain, keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
