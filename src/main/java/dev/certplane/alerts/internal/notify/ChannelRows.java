package dev.certplane.alerts.internal.notify;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.certplane.alerts.AlertSeverity;
import dev.certplane.alerts.internal.store.NotificationChannelStore.ChannelRow;
import dev.certplane.secrets.SecretBox;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Turns stored channel rows into channels and back, and seals and opens their secrets. */
@Component
class ChannelRows {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> SECRETS = new TypeReference<>() {
    };

    private final JsonMapper json;
    private final SecretBox box;

    ChannelRows(JsonMapper json, SecretBox box) {
        this.json = json;
        this.box = box;
    }

    static String purpose(String id) {
        return "alerts.notification-channel:" + id;
    }

    NotificationChannel channel(ChannelRow row) {
        EmailSettings email = row.type().equals("email") ? json.readValue(row.settings(), EmailSettings.class) : null;
        ChannelSecrets secrets = open(row);
        return new NotificationChannel(row.id(), row.name(), row.type(), row.enabled(),
                AlertSeverity.parse(row.minSeverity()), json.readValue(row.kinds(), STRINGS), row.endpoint(), email,
                secrets.url() != null, secrets.signingSecret() != null, secrets.password() != null, row.createdAt(),
                row.updatedAt());
    }

    String kinds(List<String> kinds) {
        return json.writeValueAsString(kinds);
    }

    String settings(@Nullable EmailSettings email) {
        return email == null ? "{}" : json.writeValueAsString(email);
    }

    String seal(String id, ChannelSecrets secrets) {
        Map<String, String> values = new LinkedHashMap<>();
        if (secrets.url() != null) {
            values.put("url", secrets.url());
        }
        if (secrets.signingSecret() != null) {
            values.put("signingSecret", secrets.signingSecret());
        }
        if (secrets.password() != null) {
            values.put("password", secrets.password());
        }
        return box.seal(json.writeValueAsString(values).getBytes(StandardCharsets.UTF_8), purpose(id));
    }

    /** @throws dev.certplane.secrets.SecretUnreadableException when the master key cannot open them */
    ChannelSecrets open(ChannelRow row) {
        Map<String, String> values = json.readValue(new String(box.open(row.secretsSealed(), purpose(row.id())),
                StandardCharsets.UTF_8), SECRETS);
        return new ChannelSecrets(values.get("url"), values.get("signingSecret"), values.get("password"));
    }
}
