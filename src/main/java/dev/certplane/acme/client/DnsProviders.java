package dev.certplane.acme.client;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.certplane.acme.client.internal.AcmeClientSettings;
import dev.certplane.acme.client.internal.ExecProgram;
import dev.certplane.acme.client.internal.store.DnsProviderStore;
import dev.certplane.acme.client.internal.store.DnsProviderStore.DnsProviderRow;
import dev.certplane.secrets.SecretBox;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The DNS providers workflows publish dns-01 records through, of three types: {@code rfc2136}, dynamic updates
 * (RFC 2136) to a primary server signed with a TSIG key; {@code cloudflare}, Cloudflare's API with an API token;
 * {@code exec}, a program on this server. Secrets (the TSIG secret, the API token) are sealed at rest and never
 * shown again.
 */
@Service
public class DnsProviders {

    public static final List<String> TYPES = List.of("rfc2136", "cloudflare", "exec");
    static final List<String> ALGORITHMS = List.of("hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384",
            "hmac-sha512");

    private final DnsProviderStore store;
    private final SecretBox secrets;
    private final AcmeClientSettings settings;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DnsProviders(DnsProviderStore store, SecretBox secrets, AcmeClientSettings settings, ApplicationEventPublisher events,
            Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    /** A DNS provider as shown: its secret never is. The fields of other types are null. */
    public record DnsProvider(String id, String name, String type, @Nullable String server,
            @Nullable String tsigKeyName, @Nullable String tsigAlgorithm, @Nullable String zoneId,
            @Nullable String program, Instant createdAt) {
    }

    /**
     * A provider to add; only the fields of its type may be given.
     *
     * @param server rfc2136: {@code host:port} of the primary (port 53 when left out)
     * @param tsigSecret rfc2136: base64, as {@code tsig-keygen} prints it
     * @param apiToken cloudflare: an API token with permission to edit the zone's DNS (and to read zones, unless
     *     {@code zoneId} is given)
     * @param zoneId cloudflare: the zone's id, so the zone need not be looked up by name
     * @param program exec: the absolute path of a program in {@code certplane.acme.client.exec-directories}
     */
    public record NewDnsProvider(String name, String type, @Nullable String server, @Nullable String tsigKeyName,
            @Nullable String tsigAlgorithm, @Nullable String tsigSecret, @Nullable String apiToken,
            @Nullable String zoneId, @Nullable String program) {
    }

    /** @throws IllegalArgumentException naming the field that is wrong, or a name already taken */
    @Transactional
    public DnsProvider create(NewDnsProvider input) {
        if (!TYPES.contains(input.type())) {
            throw new IllegalArgumentException("type '" + input.type() + "' is not one of " + TYPES);
        }
        Map<String, @Nullable String> fields = new LinkedHashMap<>();
        fields.put("server", blank(input.server()));
        fields.put("tsigKeyName", blank(input.tsigKeyName()));
        fields.put("tsigAlgorithm", blank(input.tsigAlgorithm()));
        fields.put("tsigSecret", blank(input.tsigSecret()));
        fields.put("apiToken", blank(input.apiToken()));
        fields.put("zoneId", blank(input.zoneId()));
        fields.put("program", blank(input.program()));
        List<String> own = switch (input.type()) {
            case "rfc2136" -> List.of("server", "tsigKeyName", "tsigAlgorithm", "tsigSecret");
            case "cloudflare" -> List.of("apiToken", "zoneId");
            default -> List.of("program");
        };
        fields.forEach((field, value) -> {
            if (value != null && !own.contains(field)) {
                throw new IllegalArgumentException(field + " is not used by " + input.type() + " providers; they take "
                        + own);
            }
        });
        String id = Ids.random();
        DnsProviderRow row = switch (input.type()) {
            case "rfc2136" -> rfc2136(id, input.name().trim(), fields);
            case "cloudflare" -> cloudflare(id, input.name().trim(), fields);
            default -> exec(id, input.name().trim(), fields);
        };
        if (store.nameTaken(row.name())) {
            throw new IllegalArgumentException("a DNS provider named '" + row.name() + "' exists");
        }
        try {
            store.insert(row);
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("a DNS provider named '" + row.name() + "' exists", e);
        }
        Map<String, String> details = new LinkedHashMap<>(Map.of("name", row.name(), "type", row.type()));
        if (row.server() != null) {
            details.put("server", row.server());
        }
        if (row.zoneId() != null) {
            details.put("zoneId", row.zoneId());
        }
        if (row.program() != null) {
            details.put("program", row.program());
        }
        events.publishEvent(AuditRecord.of(clock, "acme-dns-provider.created", "acme-dns-provider:" + id,
                Outcome.SUCCESS, details));
        return view(row);
    }

    public List<DnsProvider> list() {
        return store.all().stream().map(DnsProviders::view).toList();
    }

    public boolean exists(String id) {
        return store.find(id).isPresent();
    }

    public static String secretPurpose(String id) {
        return "acme-client.dns-provider:" + id;
    }

    private DnsProviderRow rfc2136(String id, String name, Map<String, @Nullable String> fields) {
        String server = required(fields, "server", "rfc2136", "host:port of the primary server, such as 10.0.0.53:53");
        if (!server.matches("[A-Za-z0-9.:\\[\\]-]+(:[0-9]{1,5})?")) {
            throw new IllegalArgumentException("server '" + server + "' must be host:port, such as 10.0.0.53:53");
        }
        String keyName = required(fields, "tsigKeyName", "rfc2136", "the TSIG key's name, as the server knows it");
        if (!keyName.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?") || keyName.length() > 255) {
            throw new IllegalArgumentException("tsigKeyName '" + keyName + "' is not a DNS name, such as acme-update");
        }
        String algorithm = fields.get("tsigAlgorithm") == null ? "hmac-sha256"
                : fields.get("tsigAlgorithm").toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("tsigAlgorithm '" + fields.get("tsigAlgorithm") + "' is not one of "
                    + ALGORITHMS);
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(required(fields, "tsigSecret", "rfc2136", "base64, as tsig-keygen prints"
                    + " it"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tsigSecret is not base64", e);
        }
        if (secret.length < 16) {
            throw new IllegalArgumentException("tsigSecret is " + secret.length + " bytes; use at least 16");
        }
        return new DnsProviderRow(id, name, "rfc2136", server, keyName, algorithm, secrets.seal(secret, secretPurpose(id)),
                null, null, null, clock.instant());
    }

    private DnsProviderRow cloudflare(String id, String name, Map<String, @Nullable String> fields) {
        String token = required(fields, "apiToken", "cloudflare", "an API token allowed to edit the zone's DNS");
        // RFC 6750's b64token: what an Authorization: Bearer header can carry; Cloudflare's tokens are 40 of these.
        if (!token.matches("[A-Za-z0-9._~+/-]+=*")) {
            throw new IllegalArgumentException("apiToken is not an API token: it has characters a bearer token cannot"
                    + " have (RFC 6750 2.1)");
        }
        String zoneId = fields.get("zoneId");
        if (zoneId != null && !zoneId.matches("[0-9a-fA-F]{32}")) {
            throw new IllegalArgumentException("zoneId '" + zoneId + "' is not a Cloudflare zone id: 32 hexadecimal"
                    + " digits, as the zone's overview page shows");
        }
        return new DnsProviderRow(id, name, "cloudflare", null, null, null, null,
                secrets.seal(token.getBytes(StandardCharsets.US_ASCII), secretPurpose(id)),
                zoneId == null ? null : zoneId.toLowerCase(Locale.ROOT), null, clock.instant());
    }

    private DnsProviderRow exec(String id, String name, Map<String, @Nullable String> fields) {
        String program = required(fields, "program", "exec", "the absolute path of the program to call with"
                + " add|remove <fqdn> <value>");
        ExecProgram.check("program", program, settings);
        return new DnsProviderRow(id, name, "exec", null, null, null, null, null, null, program, clock.instant());
    }

    private static String required(Map<String, @Nullable String> fields, String field, String type, String what) {
        String value = fields.get(field);
        if (value == null) {
            throw new IllegalArgumentException(type + " providers need " + field + ": " + what);
        }
        return value;
    }

    private static @Nullable String blank(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static DnsProvider view(DnsProviderRow row) {
        return new DnsProvider(row.id(), row.name(), row.type(), row.server(), row.tsigKeyName(), row.tsigAlgorithm(),
                row.zoneId(), row.program(), row.createdAt());
    }
}
