package dev.certplane.alerts.internal.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.certplane.alerts.Alert;
import dev.certplane.alerts.AlertSeverity;
import dev.certplane.alerts.AlertState;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What channels receive: the webhook's JSON document, the Slack incoming-webhook message and the e-mail. Each says
 * only what the alert says (its fields and details), nothing else of Certplane's. Pure apart from the JSON mapper.
 */
public final class Payloads {

    /** Slack limits: a header block's text, a section's text, the top-level fallback text. */
    static final int SLACK_HEADER_MAX = 150;
    static final int SLACK_SECTION_MAX = 3000;
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final JsonMapper json;

    public Payloads(JsonMapper json) {
        this.json = json;
    }

    /** The alert as stored with a notification, so the notification says what the alert said at the event. */
    public String snapshot(Alert alert) {
        return json.writeValueAsString(alertFields(alert));
    }

    /** Reads a {@link #snapshot}. */
    @SuppressWarnings("unchecked")
    public Alert alert(String snapshot) {
        Map<String, Object> m = json.readValue(snapshot, OBJECT);
        Map<String, String> details = new TreeMap<>();
        ((Map<String, Object>) m.getOrDefault("details", Map.of())).forEach((k, v) -> details.put(k, String.valueOf(v)));
        return new Alert((String) m.get("id"), (String) m.get("key"), (String) m.get("kind"),
                AlertSeverity.parse((String) m.get("severity")), (String) m.get("target"), (String) m.get("title"),
                (String) m.get("message"), details, AlertState.parse((String) m.get("state")),
                Instant.parse((String) m.get("openedAt")), Instant.parse((String) m.get("updatedAt")),
                m.get("resolvedAt") == null ? null : Instant.parse((String) m.get("resolvedAt")),
                (String) m.get("resolution"));
    }

    /**
     * The webhook body: {@code event}, {@code notificationId} (the same on every attempt, so receivers can drop
     * repeats), {@code test}, then the alert's fields.
     */
    public String webhook(NotificationEvent event, Alert alert, String notificationId, boolean test) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event.wire());
        body.put("notificationId", notificationId);
        body.put("test", test);
        body.putAll(alertFields(alert));
        return json.writeValueAsString(body);
    }

    /** {@code sha256=<hex>}: HMAC-SHA256 of the exact body bytes under the channel's signing secret. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    /**
     * A Slack incoming-webhook message: {@code text} (the notification's fallback, shown where blocks are not) and
     * {@code blocks} (a header, the message, the facts as fields and a context line), within Slack's limits.
     */
    public String slack(NotificationEvent event, Alert alert, boolean test) {
        String headline = headline(event, alert, test);
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "header", "text", Map.of("type", "plain_text", "text",
                cut(headline, SLACK_HEADER_MAX), "emoji", true)));
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text",
                cut(escape(alert.message()), SLACK_SECTION_MAX))));
        List<Object> fields = new ArrayList<>();
        fields.add(field("Severity", alert.severity().wire()));
        fields.add(field("Kind", alert.kind()));
        fields.add(field("Target", alert.target()));
        fields.add(field(alert.state() == AlertState.RESOLVED ? "Resolved" : "Opened",
                String.valueOf(alert.state() == AlertState.RESOLVED ? alert.resolvedAt() : alert.openedAt())));
        blocks.add(Map.of("type", "section", "fields", fields));
        StringBuilder context = new StringBuilder();
        if (alert.resolution() != null) {
            context.append("Resolution: ").append(escape(alert.resolution())).append('\n');
        }
        alert.details().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                context.append(escape(e.getKey())).append(": ").append(escape(e.getValue())).append('\n'));
        context.append("Alert ").append(alert.id()).append(" · key ").append(escape(alert.key()));
        blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text",
                cut(context.toString(), SLACK_SECTION_MAX)))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", cut(escape(headline) + ": " + escape(alert.message()), SLACK_SECTION_MAX));
        body.put("blocks", blocks);
        return json.writeValueAsString(body);
    }

    /** {@code [CRITICAL] Alert opened: <title>}, the e-mail subject and the Slack header. */
    public static String headline(NotificationEvent event, Alert alert, boolean test) {
        String what = switch (event) {
            case OPENED -> "Alert opened";
            case UPDATED -> "Alert escalated";
            case RESOLVED -> "Alert resolved";
        };
        return (test ? "[TEST] " : "") + "[" + alert.severity().name() + "] " + what + ": " + oneLine(alert.title());
    }

    /** The e-mail's plain-text body. */
    public static String emailText(NotificationEvent event, Alert alert, boolean test) {
        StringBuilder text = new StringBuilder();
        text.append(headline(event, alert, test)).append("\n\n").append(alert.message()).append("\n\n");
        line(text, "Severity", alert.severity().wire());
        line(text, "Kind", alert.kind());
        line(text, "Target", alert.target());
        line(text, "Key", alert.key());
        line(text, "Alert", alert.id());
        line(text, "State", alert.state().wire());
        line(text, "Opened", alert.openedAt().toString());
        line(text, "Updated", alert.updatedAt().toString());
        if (alert.resolvedAt() != null) {
            line(text, "Resolved", alert.resolvedAt().toString());
        }
        if (alert.resolution() != null) {
            line(text, "Resolution", alert.resolution());
        }
        if (!alert.details().isEmpty()) {
            text.append("\nDetails:\n");
            new TreeMap<>(alert.details()).forEach((k, v) -> text.append("  ").append(k).append(": ").append(v)
                    .append('\n'));
        }
        text.append("\n-- \nSent by Certplane because this address is on an alert notification channel.\n");
        return text.toString();
    }

    /**
     * A complete RFC 5322 message: headers in ASCII (the subject as RFC 2047 encoded words when it is not), the
     * text base64-encoded as UTF-8, lines ending in CRLF.
     */
    public static String email(NotificationEvent event, Alert alert, boolean test, EmailSettings settings,
            String messageId, Instant date) {
        StringBuilder m = new StringBuilder();
        m.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC)))
                .append("\r\n");
        m.append("From: ").append(settings.from()).append("\r\n");
        m.append("To: ").append(String.join(",\r\n ", settings.to())).append("\r\n");
        m.append("Subject: ").append(subject(headline(event, alert, test))).append("\r\n");
        m.append("Message-ID: <").append(messageId).append(">\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: text/plain; charset=UTF-8\r\n");
        m.append("Content-Transfer-Encoding: base64\r\n");
        m.append("Auto-Submitted: auto-generated\r\n");
        m.append("X-Certplane-Event: ").append(event.wire()).append("\r\n");
        m.append("\r\n");
        String body = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'})
                .encodeToString(emailText(event, alert, test).getBytes(StandardCharsets.UTF_8));
        m.append(body).append("\r\n");
        return m.toString();
    }

    /** The subject as is when it is printable ASCII, else as RFC 2047 B encoded words of whole characters. */
    static String subject(String subject) {
        String line = cut(oneLine(subject), 200);
        if (line.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return line;
        }
        List<String> words = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < line.length(); ) {
            int cp = line.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            int size = ch.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > 45) {
                words.add(encodedWord(chunk.toString()));
                chunk.setLength(0);
                bytes = 0;
            }
            chunk.append(ch);
            bytes += size;
            i += Character.charCount(cp);
        }
        if (chunk.length() > 0) {
            words.add(encodedWord(chunk.toString()));
        }
        return String.join("\r\n ", words);
    }

    private static String encodedWord(String text) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private Map<String, Object> alertFields(Alert alert) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", alert.id());
        m.put("key", alert.key());
        m.put("kind", alert.kind());
        m.put("severity", alert.severity().wire());
        m.put("state", alert.state().wire());
        m.put("target", alert.target());
        m.put("title", alert.title());
        m.put("message", alert.message());
        m.put("details", new TreeMap<>(alert.details()));
        m.put("openedAt", alert.openedAt().toString());
        m.put("updatedAt", alert.updatedAt().toString());
        if (alert.resolvedAt() != null) {
            m.put("resolvedAt", alert.resolvedAt().toString());
        }
        if (alert.resolution() != null) {
            m.put("resolution", alert.resolution());
        }
        return m;
    }

    private static Map<String, Object> field(String name, String value) {
        return Map.of("type", "mrkdwn", "text", cut("*" + name + "*\n" + escape(value), 2000));
    }

    private static void line(StringBuilder text, String name, String value) {
        text.append(name).append(": ").append(value).append('\n');
    }

    /** Slack's mrkdwn escaping: only {@code &}, {@code <} and {@code >} are control characters. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").trim();
    }

    static String cut(@Nullable String text, int max) {
        String t = String.valueOf(text);
        if (t.length() <= max) {
            return t;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(t.charAt(end - 1))) {
            end--;
        }
        return t.substring(0, end) + "…";
    }
}
