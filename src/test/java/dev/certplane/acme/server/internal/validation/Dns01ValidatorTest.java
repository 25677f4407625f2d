package dev.certplane.acme.server.internal.validation;

import static dev.certplane.acme.server.internal.validation.Fixtures.KEY_AUTHORIZATION;
import static dev.certplane.acme.server.internal.validation.Fixtures.check;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.ProblemType;

import org.junit.jupiter.api.Test;

/** DNS-01 (RFC 8555 8.4) through a fake resolver. */
class Dns01ValidatorTest {

    private static final String RECORD_NAME = "_acme-challenge.www.example.test";
    /** base64url(SHA-256(key authorization)), computed outside Java (see KeyAuthorizationTest). */
    private static final String EXPECTED = "ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8";

    private final FakeDns dns = new FakeDns("fake");

    @Test
    void theDigestInATxtRecordMakesTheChallengeValid() {
        dns.txt(RECORD_NAME, EXPECTED);

        ValidationResult result = validate("www.example.test");

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.detail()).isEqualTo("dns-01 validated for www.example.test");
        assertThat(result.record()).containsExactly("TXT " + RECORD_NAME + " via fake: [" + EXPECTED + "]");
        assertThat(dns.queries).containsExactly(RECORD_NAME + " TXT");
    }

    @Test
    void aRecordSplitIntoSeveralStringsIsOneValue() {
        dns.txtStrings(RECORD_NAME, EXPECTED.substring(0, 10), EXPECTED.substring(10, 30), EXPECTED.substring(30));

        ValidationResult result = validate("www.example.test");

        assertThat(result.valid()).as(result.detail()).isTrue();
    }

    @Test
    void oneCorrectValueAmongSeveralIsEnough() {
        dns.txt(RECORD_NAME, "stale-value-from-an-earlier-order", EXPECTED, "v=spf1 -all");

        ValidationResult result = validate("www.example.test");

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.record()).containsExactly("TXT " + RECORD_NAME + " via fake: [stale-value-from-an-earlier-order, "
                + EXPECTED + ", v=spf1 -all]");
    }

    @Test
    void aMissingNameIsAnNxdomainDnsProblem() {
        ValidationResult result = validate("www.example.test");

        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).isEqualTo(ProblemType.DNS);
        assertThat(result.detail()).isEqualTo("DNS problem: NXDOMAIN looking up TXT for " + RECORD_NAME
                + " (resolvers fake)");
        assertThat(result.record()).containsExactly("TXT " + RECORD_NAME + " via fake: NXDOMAIN");
    }

    @Test
    void aNameWithoutTxtRecordsSaysWhatWasExpected() {
        dns.exists(RECORD_NAME);

        ValidationResult result = validate("www.example.test");

        assertThat(result.problem()).isEqualTo(ProblemType.UNAUTHORIZED);
        assertThat(result.detail()).isEqualTo("no TXT record found at " + RECORD_NAME + " (resolvers fake); expected \""
                + EXPECTED + "\"");
    }

    @Test
    void aWrongValueIsQuotedWithTheExpectedOne() {
        dns.txt(RECORD_NAME, KEY_AUTHORIZATION.text());

        ValidationResult result = validate("www.example.test");

        assertThat(result.problem()).isEqualTo(ProblemType.UNAUTHORIZED);
        assertThat(result.detail()).isEqualTo("incorrect TXT record [\"" + KEY_AUTHORIZATION.text() + "\"] found at "
                + RECORD_NAME + "; expected \"" + EXPECTED + "\"");
    }

    @Test
    void severalWrongValuesAreListedUpToFive() {
        dns.txt(RECORD_NAME, "one", "two", "three", "four", "five", "six");

        ValidationResult result = validate("www.example.test");

        assertThat(result.detail()).isEqualTo("incorrect TXT records [\"one\", \"two\", \"three\", \"four\", \"five\"]"
                + " found at " + RECORD_NAME + "; expected \"" + EXPECTED + "\"");
    }

    @Test
    void theDigestIsCaseSensitive() {
        dns.txt(RECORD_NAME, EXPECTED.toLowerCase(Locale.ROOT));

        assertThat(validate("www.example.test").problem()).isEqualTo(ProblemType.UNAUTHORIZED);
    }

    @Test
    void hostileValuesAreQuotedInPresentationFormatAndShort() {
        dns.txtStrings(RECORD_NAME, "\u0007bell\n" + "z".repeat(200), "z".repeat(200));

        ValidationResult result = validate("www.example.test");

        // dnsjava gives TXT strings in zone-file presentation format: control characters as \ddd escapes.
        assertThat(result.detail()).startsWith("incorrect TXT record [\"\\007bell\\010" + "z".repeat(88)
                + "…\"] found at");
    }

    @Test
    void aWildcardIsValidatedAtItsBaseName() {
        dns.txt("_acme-challenge.example.test", EXPECTED);

        ValidationResult result = validate("*.example.test");

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.detail()).isEqualTo("dns-01 validated for *.example.test");
        assertThat(dns.queries).containsExactly("_acme-challenge.example.test TXT");
    }

    @Test
    void aDelegatedRecordIsFoundThroughItsCnameAndTheRecordNamesTheChain() {
        dns.cname(RECORD_NAME, "www.acme-delegation.example.net")
                .cname("www.acme-delegation.example.net", "token.validation.example.org")
                .txt("token.validation.example.org", EXPECTED);

        ValidationResult result = validate("www.example.test");

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.record()).containsExactly("TXT " + RECORD_NAME + " (via CNAME www.acme-delegation.example.net"
                + " → token.validation.example.org) via fake: [" + EXPECTED + "]");
    }

    @Test
    void aFailureThroughACnameNamesTheChain() {
        dns.cname(RECORD_NAME, "www.acme-delegation.example.net").txt("www.acme-delegation.example.net", "old");

        ValidationResult result = validate("www.example.test");

        assertThat(result.detail()).isEqualTo("incorrect TXT record [\"old\"] found at " + RECORD_NAME
                + " (via CNAME www.acme-delegation.example.net); expected \"" + EXPECTED + "\"");
    }

    @Test
    void aDanglingCnameIsAnNxdomainThatNamesTheChain() {
        dns.cname(RECORD_NAME, "gone.example.net");

        ValidationResult result = validate("www.example.test");

        assertThat(result.problem()).isEqualTo(ProblemType.DNS);
        assertThat(result.detail()).isEqualTo("DNS problem: NXDOMAIN looking up TXT for " + RECORD_NAME
                + " (via CNAME gone.example.net) (resolvers fake)");
    }

    private ValidationResult validate(String name) {
        return Fixtures.settings().validator(dns).validate(check(Identifier.dns(name), ChallengeType.DNS_01));
    }
}
