package dev.certplane.alerts.internal.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import dev.certplane.alerts.AlertSeverity;

import org.junit.jupiter.api.Test;

class ChannelValidationTest {

    private static ChannelInput webhook(String url) {
        return new ChannelInput("ops", "webhook", null, null, null, url, null, null, null, null, null, null, null,
                null);
    }

    private static ChannelInput email(String host, Integer port, String security, String username, String password,
            String from, List<String> to) {
        return new ChannelInput("mail", "email", null, null, null, null, null, host, port, security, username, password,
                from, to);
    }

    private static String error(ChannelInput input) {
        return error(input, ChannelSecrets.NONE);
    }

    private static String error(ChannelInput input, ChannelSecrets stored) {
        try {
            ChannelValidation.validate(input, stored);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted " + input);
    }

    @Test
    void aWebhookShowsOnlyTheOriginOfItsSealedUrl() {
        ChannelValidation.Valid valid = ChannelValidation.validate(new ChannelInput(" ops ", "webhook", false,
                "HIGH", List.of("certificate_expiry", "certificate_expiry", "probe_drift"),
                "https://Hooks.Example.com:8443/t/abc?token=s3cret", "0123456789abcdef", null, null, null, null, null,
                null, null), ChannelSecrets.NONE);
        assertThat(valid.name()).isEqualTo("ops");
        assertThat(valid.enabled()).isFalse();
        assertThat(valid.minSeverity()).isEqualTo(AlertSeverity.HIGH);
        assertThat(valid.kinds()).containsExactly("certificate_expiry", "probe_drift");
        assertThat(valid.endpoint()).isEqualTo("https://hooks.example.com:8443");
        assertThat(valid.secrets().url()).isEqualTo("https://Hooks.Example.com:8443/t/abc?token=s3cret");
        assertThat(valid.secrets().signingSecret()).isEqualTo("0123456789abcdef");
        assertThat(valid.secretsChanged()).containsExactly("url", "signingSecret");
        assertThat(valid.secrets().toString()).doesNotContain("s3cret");
    }

    @Test
    void urlsAreCheckedWithoutRepeatingThem() {
        assertThat(error(webhook("ftp://files.example/x"))).isEqualTo("url must use http or https, not ftp");
        assertThat(error(webhook("/relative/path"))).isEqualTo("url must be an absolute http:// or https:// URL");
        assertThat(error(webhook("https://user:pw@hooks.example/x"))).startsWith("url must not contain a user name");
        assertThat(error(webhook("https://hooks.example:70000/x"))).isEqualTo(
                "url port 70000 is not a number from 1 to 65535");
        assertThat(error(webhook("https://hooks.example:http/x"))).isEqualTo(
                "url port 'http' is not a number from 1 to 65535");
        assertThat(error(webhook("https://hooks.example/x#frag"))).isEqualTo("url must not have a fragment (#...)");
        assertThat(error(webhook("https://hooks example/secret-path"))).startsWith("url is not a valid URL: ")
                .doesNotContain("secret-path");
        assertThat(error(webhook(""))).isEqualTo("webhook channels need url: the http(s) URL to POST alerts to");
        assertThat(error(new ChannelInput("s", "slack", null, null, null, null, null, null, null, null, null, null,
                null, null))).isEqualTo("slack channels need url: the Slack incoming-webhook URL");
    }

    @Test
    void typesSeveritiesKindsAndForeignFieldsHavePreciseMessages() {
        assertThat(error(new ChannelInput("x", "sms", null, null, null, null, null, null, null, null, null, null, null,
                null))).isEqualTo("type 'sms' is not one of webhook, slack, email");
        assertThat(error(new ChannelInput("x", null, null, null, null, null, null, null, null, null, null, null, null,
                null))).isEqualTo("type is required: one of webhook, slack, email");
        assertThat(error(new ChannelInput(" ", "slack", null, null, null, null, null, null, null, null, null, null,
                null, null))).isEqualTo("name is required");
        assertThat(error(new ChannelInput("x", "slack", null, "urgent", null, "https://h.example/x", null, null, null,
                null, null, null, null, null))).isEqualTo(
                        "minSeverity: unknown severity 'urgent'; use info, warning, high or critical");
        assertThat(error(new ChannelInput("x", "slack", null, null, List.of("ok_kind", "Bad Kind"),
                "https://h.example/x", null, null, null, null, null, null, null, null))).startsWith(
                        "kinds[1] 'Bad Kind' is not an alert kind");
        assertThat(error(new ChannelInput("x", "slack", null, null, null, "https://h.example/x", "0123456789abcdef",
                null, null, null, null, null, null, null))).isEqualTo(
                        "signingSecret is not used by slack channels; they take url");
        assertThat(error(new ChannelInput("x", "webhook", null, null, null, "https://h.example/x", null, "smtp.example",
                null, null, null, null, null, null))).isEqualTo(
                        "host is not used by webhook channels; they take url, signingSecret");
        assertThat(error(new ChannelInput("x", "webhook", null, null, null, "https://h.example/x", "short", null, null,
                null, null, null, null, null))).isEqualTo("signingSecret is 5 characters long; use 16 to 200");
    }

    @Test
    void emailAddressesHostsPortsAndPasswordsAreChecked() {
        ChannelValidation.Valid valid = ChannelValidation.validate(email("smtp.example.com", null, null, "alerts",
                "pw-0123", "certplane@example.com", List.of("ops@example.com", "ops@example.com", "o.n-call+tls@x.io")),
                ChannelSecrets.NONE);
        assertThat(valid.email()).isEqualTo(new EmailSettings("smtp.example.com", 587, "starttls", "alerts",
                "certplane@example.com", List.of("ops@example.com", "o.n-call+tls@x.io")));
        assertThat(valid.secrets().password()).isEqualTo("pw-0123");
        assertThat(ChannelValidation.validate(email("10.0.0.25", null, "tls", null, null, "a@b.example",
                List.of("c@d.example")), ChannelSecrets.NONE).email().port()).isEqualTo(465);

        assertThat(error(email("smtp.example", null, null, null, null, "a@b.example", List.of("ops.example.com"))))
                .isEqualTo("to[0] 'ops.example.com' is not an e-mail address: it has no @");
        assertThat(error(email("smtp.example", null, null, null, null, "a@b.example", List.of("ok@x.example", "ops@"))))
                .isEqualTo("to[1] 'ops@' is not an e-mail address: the domain after @ is missing");
        assertThat(error(email("smtp.example", null, null, null, null, "a..b@x.example", List.of("ok@x.example"))))
                .startsWith("from 'a..b@x.example' is not an e-mail address: the part before @ must be");
        assertThat(error(email("smtp.example", null, null, null, null, "a@b.example", List.of("ops@bad_domain.example"))))
                .isEqualTo("to[0] 'ops@bad_domain.example' is not an e-mail address: 'bad_domain.example' after @ is "
                        + "not a domain name");
        assertThat(error(email("smtp.example", null, null, null, null, "a@b.example",
                List.of("x@y.example\r\nBcc: z@evil.example")))).startsWith("to[0] 'x@y.example??Bcc: z@evil.example'");
        assertThat(error(email("smtp.example", null, null, null, null, "a@b.example", List.of())))
                .isEqualTo("email channels need to: a list of at least one recipient address");
        assertThat(error(email("smtp example", null, null, null, null, "a@b.example", List.of("c@d.example"))))
                .isEqualTo("host 'smtp example' is not a DNS name or IPv4 address");
        assertThat(error(email("smtp.example", 0, null, null, null, "a@b.example", List.of("c@d.example"))))
                .isEqualTo("port 0 is not a number from 1 to 65535");
        assertThat(error(email("smtp.example", null, "ssl", null, null, "a@b.example", List.of("c@d.example"))))
                .isEqualTo("security 'ssl' is not one of none, starttls, tls");
        assertThat(error(email("smtp.example", null, "none", "user", "pw", "a@b.example", List.of("c@d.example"))))
                .startsWith("password is only sent over an encrypted connection");
        assertThat(error(email("smtp.example", null, null, null, "pw", "a@b.example", List.of("c@d.example"))))
                .isEqualTo("password needs a username");
    }

    @Test
    void secretsLeftOutAreKeptAndEmptyOnesRemoved() {
        ChannelSecrets stored = new ChannelSecrets("https://hooks.example/keep", "0123456789abcdef", null);
        ChannelValidation.Valid kept = ChannelValidation.validate(webhook(null), stored);
        assertThat(kept.secrets()).isEqualTo(stored);
        assertThat(kept.endpoint()).isEqualTo("https://hooks.example");
        assertThat(kept.secretsChanged()).isEmpty();
        ChannelValidation.Valid removed = ChannelValidation.validate(new ChannelInput("ops", "webhook", null, null,
                null, null, "", null, null, null, null, null, null, null), stored);
        assertThat(removed.secrets().signingSecret()).isNull();
        assertThat(removed.secrets().url()).isEqualTo("https://hooks.example/keep");
        assertThat(removed.secretsChanged()).containsExactly("signingSecret");
        ChannelSecrets password = new ChannelSecrets(null, null, "pw");
        assertThat(ChannelValidation.validate(email("smtp.example", null, null, "u", null, "a@b.example",
                List.of("c@d.example")), password).secrets().password()).isEqualTo("pw");
    }
}
