package dev.certplane.alerts.internal.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.certplane.alerts.Alert;
import dev.certplane.alerts.AlertSeverity;
import dev.certplane.alerts.AlertState;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PayloadsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Payloads PAYLOADS = new Payloads(JSON);
    private static final Instant OPENED = Instant.parse("2030-01-02T03:04:05Z");
    private static final Alert ALERT = new Alert("a1", "certificate-expiry:c1", "certificate_expiry",
            AlertSeverity.HIGH, "certificate:c1", "Certificate expires in 5 days: shop.example",
            "CN=shop.example expires on 2030-01-07 <soon> & then", Map.of("notAfter", "2030-01-07T00:00:00Z"),
            AlertState.OPEN, OPENED, OPENED, null, null);

    @Test
    void theWebhookDocumentCarriesTheAlertsFieldsAndNothingElse() {
        JsonNode body = JSON.readTree(PAYLOADS.webhook(NotificationEvent.OPENED, ALERT, "n1", false));
        List<String> names = body.propertyNames().stream().toList();
        assertThat(names).containsExactly("event", "notificationId", "test", "id", "key", "kind", "severity", "state",
                "target", "title", "message", "details", "openedAt", "updatedAt");
        assertThat(body.get("event").asString()).isEqualTo("opened");
        assertThat(body.get("severity").asString()).isEqualTo("high");
        assertThat(body.get("details").get("notAfter").asString()).isEqualTo("2030-01-07T00:00:00Z");
        assertThat(body.get("openedAt").asString()).isEqualTo("2030-01-02T03:04:05Z");

        Alert resolved = new Alert("a1", ALERT.key(), ALERT.kind(), ALERT.severity(), ALERT.target(), ALERT.title(),
                ALERT.message(), ALERT.details(), AlertState.RESOLVED, OPENED, OPENED.plusSeconds(60),
                OPENED.plusSeconds(60), "renewed");
        JsonNode done = JSON.readTree(PAYLOADS.webhook(NotificationEvent.RESOLVED, resolved, "n2", true));
        assertThat(done.get("state").asString()).isEqualTo("resolved");
        assertThat(done.get("resolution").asString()).isEqualTo("renewed");
        assertThat(done.get("resolvedAt").asString()).isEqualTo("2030-01-02T03:05:05Z");
        assertThat(done.get("test").asBoolean()).isTrue();
    }

    @Test
    void snapshotsReadBackAsTheSameAlert() {
        assertThat(PAYLOADS.alert(PAYLOADS.snapshot(ALERT))).isEqualTo(ALERT);
    }

    @Test
    void theSignatureIsHmacSha256OfTheBody() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertThat(Payloads.signature("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void slackGetsFallbackTextAndBlocksWithinItsLimitsAndEscaped() {
        JsonNode body = JSON.readTree(PAYLOADS.slack(NotificationEvent.OPENED, ALERT, false));
        assertThat(body.propertyNames().stream().toList()).containsExactly("text", "blocks");
        assertThat(body.get("text").asString()).startsWith("[HIGH] Alert opened: Certificate expires in 5 days")
                .contains("&lt;soon&gt; &amp; then");
        JsonNode blocks = body.get("blocks");
        assertThat(blocks.get(0).get("type").asString()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("type").asString()).isEqualTo("plain_text");
        assertThat(blocks.get(1).get("text").get("type").asString()).isEqualTo("mrkdwn");
        assertThat(blocks.get(2).get("fields").size()).isEqualTo(4);
        assertThat(blocks.get(3).get("type").asString()).isEqualTo("context");

        Alert huge = new Alert("a2", "k", "kind", AlertSeverity.CRITICAL, "t", "T".repeat(400), "M".repeat(4000),
                Map.of(), AlertState.OPEN, OPENED, OPENED, null, null);
        JsonNode big = JSON.readTree(PAYLOADS.slack(NotificationEvent.UPDATED, huge, false));
        assertThat(big.get("blocks").get(0).get("text").get("text").asString()).hasSize(Payloads.SLACK_HEADER_MAX)
                .startsWith("[CRITICAL] Alert escalated: TTT").endsWith("…");
        assertThat(big.get("blocks").get(1).get("text").get("text").asString().length())
                .isEqualTo(Payloads.SLACK_SECTION_MAX);
    }

    @Test
    void theEmailIsAnAsciiMessageWithEncodedSubjectAndBase64Text() {
        Alert accented = new Alert("a3", "k", "kind", AlertSeverity.WARNING, "t", "Zertifikat läuft ab\r\nBcc: x@y",
                "Nachricht ✓", Map.of("a", "b"), AlertState.OPEN, OPENED, OPENED, null, null);
        String message = Payloads.email(NotificationEvent.OPENED, accented, false, new EmailSettings("smtp.example", 25,
                "none", null, "certplane@example.com", List.of("a@example.com", "b@example.com")), "n3@certplane",
                OPENED);
        assertThat(message.chars().allMatch(c -> c < 0x80)).isTrue();
        String head = message.substring(0, message.indexOf("\r\n\r\n"));
        assertThat(head).contains("Date: Wed, 2 Jan 2030 03:04:05 GMT\r\n", "From: certplane@example.com\r\n",
                "To: a@example.com,\r\n b@example.com\r\n", "Message-ID: <n3@certplane>\r\n",
                "Content-Transfer-Encoding: base64\r\n").doesNotContain("\r\nBcc:");
        String subject = head.substring(head.indexOf("Subject: ") + 9, head.indexOf("\r\nMessage-ID"));
        StringBuilder decoded = new StringBuilder();
        for (String word : subject.split("\r\n ")) {
            assertThat(word).startsWith("=?UTF-8?B?").endsWith("?=");
            assertThat(word.length()).isLessThanOrEqualTo(75);
            decoded.append(new String(Base64.getDecoder().decode(word.substring(10, word.length() - 2)),
                    StandardCharsets.UTF_8));
        }
        assertThat(decoded.toString()).isEqualTo("[WARNING] Alert opened: Zertifikat läuft ab Bcc: x@y");
        String text = new String(Base64.getMimeDecoder().decode(message.substring(message.indexOf("\r\n\r\n") + 4)),
                StandardCharsets.UTF_8);
        assertThat(text).contains("Nachricht ✓", "Severity: warning", "Details:\n  a: b");
        assertThat(Payloads.subject("plain ascii")).isEqualTo("plain ascii");
    }

    @Test
    void smtpDataIsDotStuffed() {
        assertThat(SmtpSender.dotStuffed(".a\n..b\nc")).isEqualTo("..a\r\n...b\r\nc\r\n");
    }
}
