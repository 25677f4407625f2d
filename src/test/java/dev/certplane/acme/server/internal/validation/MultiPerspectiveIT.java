package dev.certplane.acme.server.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.KeyAuthorization;
import dev.certplane.shared.Ids;
import dev.certplane.support.AcmeClients;
import dev.certplane.support.Bind9;

import org.junit.jupiter.api.Test;

/**
 * Multi-perspective validation as configured, over the wire: each perspective asks its own resolver (here the
 * test BIND twice, and a loopback port where no resolver answers), and the quorum decides.
 */
class MultiPerspectiveIT {

    static final Bind9 BIND = Bind9.shared();

    @Test
    void aQuorumOfPerspectivesMustConfirmAValidation() {
        String name = "perspectives-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        KeyAuthorization keyAuthorization = new KeyAuthorization(Ids.random(), "thumbprint");
        BIND.add("_acme-challenge." + name, "TXT", "\"" + keyAuthorization.dnsRecord() + "\"");
        String silent = "127.0.0.1:" + AcmeClients.freeLoopbackUdpPort();
        List<String> perspectives = List.of(BIND.address(), BIND.address(), silent);
        ChallengeCheck check = new ChallengeCheck(Identifier.dns(name), ChallengeType.DNS_01, keyAuthorization,
                "https://ca.example/acme/acct/1", CaaPolicy.DISABLED);

        ValidationResult twoOfThree = validator(perspectives, 2).validate(check);
        ValidationResult all = validator(perspectives, 0).validate(check);

        assertThat(twoOfThree.valid()).as(twoOfThree.detail()).isTrue();
        assertThat(twoOfThree.record()).anyMatch(step -> step.startsWith("perspective " + BIND.address() + " confirmed"))
                .anyMatch(step -> step.startsWith("perspective " + silent + " failed: DNS problem: no answer"));
        assertThat(all.valid()).isFalse();
        assertThat(all.detail()).startsWith("only 2 of 3 validation perspectives confirmed, 3 needed (" + silent
                + ": DNS problem: no answer from resolvers " + silent + " looking up TXT for _acme-challenge." + name);
    }

    private static ChallengeValidator validator(List<String> perspectives, int quorum) {
        ValidationSettings settings = new ValidationSettings(80, 443, List.of(BIND.address()), List.of("127.0.0.0/8"),
                Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(500), 8192,
                new ValidationSettings.Concurrency(1, 1, 1), new ValidationSettings.Perspectives(perspectives, quorum),
                Duration.ofSeconds(10));
        return new ValidationConfig().challengeValidator(settings);
    }
}
