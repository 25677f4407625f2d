package dev.certplane.acme.client;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.certplane.acme.client.internal.store.DnsProviderStore;
import dev.certplane.acme.client.internal.store.DnsProviderStore.DnsProviderRow;
import dev.certplane.secrets.SecretBox;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The DNS providers workflows publish dns-01 records through. This version has {@code rfc2136}: dynamic updates
 * (RFC 2136) to a primary server, signed with a TSIG key whose secret is sealed at rest and never shown again.
 */
@Service
public class DnsProviders {

    static final List<String> ALGORITHMS = List.of("hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384",
            "hmac-sha512");

    private final DnsProviderStore store;
    private final SecretBox secrets;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DnsProviders(DnsProviderStore store, SecretBox secrets, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.events = events;
        this.clock = clock;
    }

    /** A DNS provider as shown: its secret never is. */
    public record DnsProvider(String id, String name, String type, String server, String tsigKeyName,
            String tsigAlgorithm, Instant createdAt) {
    }

    /**
     * @param server {@code host:port} of the primary (port 53 when left out)
     * @param tsigSecret base64, as {@code tsig-keygen} prints it
     */
    public record NewDnsProvider(String name, String type, String server, String tsigKeyName,
            @Nullable String tsigAlgorithm, String tsigSecret) {
    }

    /** @throws IllegalArgumentException naming the field that is wrong, or a name already taken */
    @Transactional
    public DnsProvider create(NewDnsProvider input) {
        if (!input.type().equals("rfc2136")) {
            throw new IllegalArgumentException("type '" + input.type() + "' is not supported; use rfc2136");
        }
        if (!input.server().trim().matches("[A-Za-z0-9.:\\[\\]-]+(:[0-9]{1,5})?")) {
            throw new IllegalArgumentException("server '" + input.server() + "' must be host:port, such as 10.0.0.53:53");
        }
        String algorithm = input.tsigAlgorithm() == null ? "hmac-sha256" : input.tsigAlgorithm().toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("tsigAlgorithm '" + input.tsigAlgorithm() + "' is not one of " + ALGORITHMS);
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(input.tsigSecret().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tsigSecret is not base64", e);
        }
        if (secret.length < 16) {
            throw new IllegalArgumentException("tsigSecret is " + secret.length + " bytes; use at least 16");
        }
        if (store.nameTaken(input.name().trim())) {
            throw new IllegalArgumentException("a DNS provider named '" + input.name().trim() + "' exists");
        }
        String id = Ids.random();
        DnsProviderRow row = new DnsProviderRow(id, input.name().trim(), input.type(), input.server().trim(),
                input.tsigKeyName().trim(), algorithm, secrets.seal(secret, secretPurpose(id)), clock.instant());
        store.insert(row);
        events.publishEvent(AuditRecord.of(clock, "acme-dns-provider.created", "acme-dns-provider:" + id,
                Outcome.SUCCESS, Map.of("name", row.name(), "type", row.type(), "server", row.server())));
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

    private static DnsProvider view(DnsProviderRow row) {
        return new DnsProvider(row.id(), row.name(), row.type(), row.server(), row.tsigKeyName(), row.tsigAlgorithm(),
                row.createdAt());
    }
}
