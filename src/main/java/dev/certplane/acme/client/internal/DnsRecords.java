package dev.certplane.acme.client.internal;

import java.nio.charset.StandardCharsets;

import dev.certplane.acme.client.DnsProviders;
import dev.certplane.acme.client.internal.store.DnsProviderStore.DnsProviderRow;
import dev.certplane.secrets.SecretBox;

import tools.jackson.databind.json.JsonMapper;

/**
 * Where workflows publish dns-01 TXT records: one implementation per DNS provider type. Both methods say what
 * they did as a phrase for the timeline ("published in Cloudflare zone example.com as record …").
 */
interface DnsRecords {

    /** Adds the TXT record; adding one that exists is no error, since a resumed workflow publishes again. */
    String publish(String fqdn, String value) throws DnsException;

    /** Removes this TXT record and no other record of the name (a wildcard and its base share the name). */
    String remove(String fqdn, String value) throws DnsException;

    static DnsRecords of(DnsProviderRow provider, SecretBox secrets, AcmeClientSettings settings, JsonMapper json) {
        return switch (provider.type()) {
            case "rfc2136" -> new Rfc2136(WorkflowEngine.socketAddress(provider.server()), provider.tsigKeyName(),
                    provider.tsigAlgorithm(), secrets.open(provider.tsigSecretSealed(),
                            DnsProviders.secretPurpose(provider.id())));
            case "cloudflare" -> new CloudflareDns(settings.cloudflareApiUrl(), new String(secrets.open(
                    provider.apiTokenSealed(), DnsProviders.secretPurpose(provider.id())), StandardCharsets.US_ASCII),
                    provider.zoneId(), CloudflareDns.HTTP, json);
            case "exec" -> new ExecDns(new ExecProgram(provider.program(), settings.execPaths(), ExecProgram.TIMEOUT));
            default -> throw new IllegalStateException("DNS provider " + provider.id() + " has the unknown type "
                    + provider.type());
        };
    }
}
