package dev.certplane.acme.server.internal.validation;

import static dev.certplane.acme.server.internal.validation.Fixtures.check;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.ProblemType;

import org.junit.jupiter.api.Test;

/** The facade: the primary check, multi-perspective confirmation, CAA, one deadline, and unexpected failures. */
class ChallengeValidatorTest {

    private static final String RECORD_NAME = "_acme-challenge.www.example.test";
    private static final String DIGEST = Fixtures.KEY_AUTHORIZATION.dnsRecord();
    private static final Identifier WWW = Identifier.dns("www.example.test");

    private final FakeDns primary = new FakeDns("primary").txt(RECORD_NAME, DIGEST);
    private final FakeDns first = new FakeDns("p1").txt(RECORD_NAME, DIGEST);
    private final FakeDns second = new FakeDns("p2").txt(RECORD_NAME, DIGEST);
    private final FakeDns stale = new FakeDns("p3").txt(RECORD_NAME, "stale");

    @Test
    void aQuorumOfPerspectivesConfirmsAndTheRecordSaysWhich() {
        ValidationResult result = validator(2, primary, first, second, stale).validate(check(WWW, ChallengeType.DNS_01));

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.record()).containsExactly(
                "TXT " + RECORD_NAME + " via primary: [" + DIGEST + "]",
                "perspective p1 confirmed: TXT " + RECORD_NAME + " via p1: [" + DIGEST + "]",
                "perspective p2 confirmed: TXT " + RECORD_NAME + " via p2: [" + DIGEST + "]",
                "perspective p3 failed: incorrect TXT record [\"stale\"] found at " + RECORD_NAME + "; expected \""
                        + DIGEST + "\"");
    }

    @Test
    void tooFewConfirmationsFailListingTheFailingPerspectives() {
        ValidationResult result = validator(3, primary, first, second, stale).validate(check(WWW, ChallengeType.DNS_01));

        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).isEqualTo(ProblemType.UNAUTHORIZED);
        assertThat(result.detail()).isEqualTo("only 2 of 3 validation perspectives confirmed, 3 needed (p3: incorrect"
                + " TXT record [\"stale\"] found at " + RECORD_NAME + "; expected \"" + DIGEST + "\")");
    }

    @Test
    void quorumZeroNeedsEveryPerspective() {
        ValidationResult result = validator(0, primary, first, stale).validate(check(WWW, ChallengeType.DNS_01));

        assertThat(result.detail()).startsWith("only 1 of 2 validation perspectives confirmed, 2 needed (p3: ");
    }

    @Test
    void theProblemTypeIsThatOfTheFirstFailingPerspective() {
        FakeDns missing = new FakeDns("p4");

        ValidationResult result = validator(3, primary, first, missing, stale).validate(check(WWW, ChallengeType.DNS_01));

        assertThat(result.problem()).isEqualTo(ProblemType.DNS);
        assertThat(result.detail()).isEqualTo("only 1 of 3 validation perspectives confirmed, 3 needed (p4: DNS problem:"
                + " NXDOMAIN looking up TXT for " + RECORD_NAME + " (resolvers p4); p3: incorrect TXT record"
                + " [\"stale\"] found at " + RECORD_NAME + "; expected \"" + DIGEST + "\")");
    }

    @Test
    void aFailingPrimaryCheckFailsWithoutAskingThePerspectives() {
        FakeDns wrong = new FakeDns("primary").txt(RECORD_NAME, "wrong");

        ValidationResult result = validator(1, wrong, first, second).validate(check(WWW, ChallengeType.DNS_01));

        assertThat(result.problem()).isEqualTo(ProblemType.UNAUTHORIZED);
        assertThat(result.detail()).startsWith("incorrect TXT record [\"wrong\"]");
        assertThat(first.queries).isEmpty();
        assertThat(second.queries).isEmpty();
    }

    @Test
    void caaIsCheckedOnceThroughThePrimaryAfterThePerspectivesConfirm() {
        primary.caa("example.test", 0, "issue", "other-ca.example");
        CaaPolicy caa = new CaaPolicy(true, List.of("ca.example"));

        ValidationResult result = validator(2, primary, first, second).validate(check(WWW, ChallengeType.DNS_01, caa));

        assertThat(result.problem()).isEqualTo(ProblemType.CAA);
        assertThat(result.record()).hasSize(4).last().isEqualTo("CAA example.test: [0 issue \"other-ca.example\"]");
        assertThat(first.queries).containsExactly(RECORD_NAME + " TXT");
    }

    @Test
    void theDeadlineCoversThePerspectivesToo() {
        Dns slow = new SlowDns(first, Duration.ofMillis(400));
        ValidationSettings settings = Fixtures.settings().perspectives(2, 1).deadline(Duration.ofMillis(300)).build();
        long start = System.nanoTime();

        ValidationResult result = new ChallengeValidator(settings, primary, List.of(slow, second), Connector.PLAIN)
                .validate(check(WWW, ChallengeType.DNS_01));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
        assertThat(result.problem()).isEqualTo(ProblemType.CONNECTION);
        assertThat(result.detail()).isEqualTo("validation did not finish within 300 ms"
                + " (certplane.acme.validation.deadline)");
        assertThat(second.queries).isEmpty();
    }

    @Test
    void anUnexpectedExceptionIsAServerInternalProblemAndNotAnEscape() {
        Dns broken = new Dns() {
            @Override
            public String describe() {
                return "broken";
            }

            @Override
            public Answer query(String name, int type, Deadline deadline) {
                throw new IllegalStateException("resolver bug");
            }
        };

        ValidationResult result = Fixtures.settings().validator(broken).validate(check(WWW, ChallengeType.DNS_01));

        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).isEqualTo(ProblemType.SERVER_INTERNAL);
        assertThat(result.detail()).isEqualTo("validation failed unexpectedly (IllegalStateException); try again");
    }

    @Test
    void theDefaultPortsAreAccepted() {
        ValidationSettings settings = Fixtures.settings().http01Port(80).tlsAlpn01Port(443).build();

        ChallengeValidator validator = new ChallengeValidator(settings, primary, List.of(), Connector.PLAIN);

        assertThat(validator.validate(check(WWW, ChallengeType.DNS_01)).valid()).isTrue();
    }

    @Test
    void oneTestPortForBothHttp01AndTlsAlpn01IsAccepted() {
        ValidationSettings settings = Fixtures.settings().http01Port(5001).tlsAlpn01Port(5001).build();

        ChallengeValidator validator = new ChallengeValidator(settings, primary, List.of(), Connector.PLAIN);

        assertThat(validator.validate(check(WWW, ChallengeType.DNS_01)).valid()).isTrue();
    }

    @Test
    void concurrencyIsPerChallengeType() {
        ValidationSettings defaults = Fixtures.settings().build();
        ValidationSettings settings = new ValidationSettings(5002, 5001, List.of(), List.of(), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 8192,
                new ValidationSettings.Concurrency(1, 2, 3), defaults.perspectives(), Duration.ofSeconds(10));

        ChallengeValidator validator = new ChallengeValidator(settings, primary, List.of(), Connector.PLAIN);

        assertThat(validator.concurrency(ChallengeType.HTTP_01)).isEqualTo(1);
        assertThat(validator.concurrency(ChallengeType.DNS_01)).isEqualTo(2);
        assertThat(validator.concurrency(ChallengeType.TLS_ALPN_01)).isEqualTo(3);
    }

    private static ChallengeValidator validator(int quorum, Dns primary, Dns... perspectives) {
        ValidationSettings settings = Fixtures.settings().perspectives(perspectives.length, quorum).build();
        return new ChallengeValidator(settings, primary, List.of(perspectives), Connector.PLAIN);
    }

    /** A perspective whose resolver takes its time before answering. */
    private record SlowDns(Dns inner, Duration delay) implements Dns {

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public Answer query(String name, int type, Deadline deadline) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.query(name, type, deadline);
        }
    }
}
