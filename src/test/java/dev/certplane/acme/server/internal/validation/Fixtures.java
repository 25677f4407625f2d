package dev.certplane.acme.server.internal.validation;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.KeyAuthorization;

/** Settings, checks and a recording connector shared by the validation tests. */
final class Fixtures {

    /** The token of RFC 8555 8.4 and the thumbprint of RFC 7638 3.1. */
    static final KeyAuthorization KEY_AUTHORIZATION = new KeyAuthorization(
            "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA", "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    static final String ACCOUNT_URL = "https://ca.example/acme/acct/1";
    static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

    private Fixtures() {
    }

    static ChallengeCheck check(Identifier identifier, ChallengeType type) {
        return new ChallengeCheck(identifier, type, KEY_AUTHORIZATION, ACCOUNT_URL, CaaPolicy.DISABLED);
    }

    static ChallengeCheck check(Identifier identifier, ChallengeType type, CaaPolicy caa) {
        return new ChallengeCheck(identifier, type, KEY_AUTHORIZATION, ACCOUNT_URL, caa);
    }

    static Settings settings() {
        return new Settings();
    }

    /** {@link ValidationSettings} with short timeouts, built field by field. */
    static final class Settings {
        int http01Port = 80;
        int tlsAlpn01Port = 443;
        List<String> allowedNetworks = LOOPBACK;
        Duration deadline = Duration.ofSeconds(5);
        Duration connectTimeout = Duration.ofSeconds(2);
        Duration readTimeout = Duration.ofSeconds(2);
        int maxResponseBytes = 8192;
        List<String> perspectiveResolvers = List.of();
        int quorum = 0;

        Settings http01Port(int port) {
            http01Port = port;
            return this;
        }

        Settings tlsAlpn01Port(int port) {
            tlsAlpn01Port = port;
            return this;
        }

        Settings allowedNetworks(String... networks) {
            allowedNetworks = List.of(networks);
            return this;
        }

        Settings deadline(Duration value) {
            deadline = value;
            return this;
        }

        Settings readTimeout(Duration value) {
            readTimeout = value;
            return this;
        }

        Settings maxResponseBytes(int value) {
            maxResponseBytes = value;
            return this;
        }

        Settings perspectives(int count, int quorum) {
            List<String> resolvers = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                resolvers.add("192.0.2." + i + ":53");
            }
            this.perspectiveResolvers = resolvers;
            this.quorum = quorum;
            return this;
        }

        ValidationSettings build() {
            return new ValidationSettings(http01Port, tlsAlpn01Port, List.of(), allowedNetworks, deadline,
                    connectTimeout, readTimeout, Duration.ofSeconds(1), maxResponseBytes,
                    new ValidationSettings.Concurrency(16, 16, 16),
                    new ValidationSettings.Perspectives(perspectiveResolvers, quorum), Duration.ofSeconds(10));
        }

        ChallengeValidator validator(Dns dns) {
            return new ChallengeValidator(build(), dns, List.of(), Connector.PLAIN);
        }

        ChallengeValidator validator(Dns dns, Connector connector) {
            return new ChallengeValidator(build(), dns, List.of(), connector);
        }
    }

    /** Connects for real and remembers every address it was asked to connect to. */
    static final class RecordingConnector implements Connector {

        final List<InetSocketAddress> attempts = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Socket connect(InetSocketAddress address, int timeoutMillis) throws IOException {
            attempts.add(address);
            return PLAIN.connect(address, timeoutMillis);
        }
    }
}
