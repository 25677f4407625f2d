package dev.certplane.acme.server.internal.validation;

import static dev.certplane.acme.server.internal.validation.Fixtures.ACCOUNT_URL;
import static dev.certplane.acme.server.internal.validation.Fixtures.check;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.ProblemType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CAA (RFC 8659, RFC 8657) through the validator with CAA switched on: each case passes DNS-01 first, so the
 * outcome is CAA's alone.
 */
class CaaCheckTest {

    private static final CaaPolicy OURS = new CaaPolicy(true, List.of("ca.example", "certplane.example"));
    private static final String US = "this CA is ca.example, certplane.example";
    private static final String DIGEST = Fixtures.KEY_AUTHORIZATION.dnsRecord();

    private final FakeDns dns = new FakeDns("fake")
            .txt("_acme-challenge.www.example.test", DIGEST)
            .txt("_acme-challenge.example.test", DIGEST)
            .txt("_acme-challenge.a.b.example.test", DIGEST);

    @Test
    void withoutAnyRecordsAnyCaMayIssue() {
        ValidationResult result = validate("www.example.test");

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.record()).contains("CAA: no records at www.example.test or above it; any CA may issue");
        assertThat(caaQueries()).containsExactly("www.example.test CAA", "example.test CAA", "test CAA");
    }

    @Test
    void anIssueRecordNamingUsAllows() {
        dns.caa("www.example.test", 0, "issue", "ca.example");

        ValidationResult result = validate("www.example.test");

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.record()).contains("CAA www.example.test: [0 issue \"ca.example\"]");
        assertThat(caaQueries()).containsExactly("www.example.test CAA");
    }

    @Test
    void anyOfTheIssuerDomainNamesAllows() {
        dns.caa("www.example.test", 0, "issue", "certplane.example");

        assertThat(validate("www.example.test").valid()).isTrue();
    }

    @Test
    void anIssueRecordNamingAnotherCaRefusesNamingTheRecordAndOurIdentities() {
        dns.caa("www.example.test", 0, "issue", "other-ca.example");

        ValidationResult result = validate("www.example.test");

        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).isEqualTo(ProblemType.CAA);
        assertThat(result.detail()).isEqualTo("CAA records at www.example.test do not allow this CA to issue for"
                + " www.example.test (0 issue \"other-ca.example\": it names other-ca.example, " + US + ")");
    }

    @Test
    void oneMatchingIssueRecordAmongOthersAllows() {
        dns.caa("www.example.test", 0, "issue", "other-ca.example").caa("www.example.test", 0, "issue", "ca.example");

        assertThat(validate("www.example.test").valid()).isTrue();
    }

    @Test
    void everyMismatchIsListed() {
        dns.caa("www.example.test", 0, "issue", "other-ca.example").caa("www.example.test", 0, "issue", ";");

        ValidationResult result = validate("www.example.test");

        assertThat(result.detail()).isEqualTo("CAA records at www.example.test do not allow this CA to issue for"
                + " www.example.test (0 issue \"other-ca.example\": it names other-ca.example, " + US
                + "; 0 issue \";\": it allows no CA)");
    }

    @Test
    void theRecordSetIsFoundByClimbingToTheParent() {
        dns.a("a.b.example.test", "192.0.2.1").caa("example.test", 0, "issue", "other-ca.example");

        ValidationResult result = validate("a.b.example.test");

        assertThat(caaQueries()).containsExactly("a.b.example.test CAA", "b.example.test CAA", "example.test CAA");
        assertThat(result.problem()).isEqualTo(ProblemType.CAA);
        assertThat(result.detail()).isEqualTo("CAA records at example.test do not allow this CA to issue for"
                + " a.b.example.test (0 issue \"other-ca.example\": it names other-ca.example, " + US + ")");
    }

    @Test
    void theClosestRecordSetWinsOverItsParent() {
        dns.caa("www.example.test", 0, "issue", "ca.example").caa("example.test", 0, "issue", ";");

        assertThat(validate("www.example.test").valid()).isTrue();
        assertThat(caaQueries()).containsExactly("www.example.test CAA");
    }

    @Test
    void aCnameIsFollowedAndNamedInTheRecord() {
        dns.cname("www.example.test", "cdn.example.net").caa("cdn.example.net", 0, "issue", "other-ca.example");

        ValidationResult result = validate("www.example.test");

        assertThat(result.record()).contains("CAA www.example.test (via CNAME cdn.example.net): [0 issue"
                + " \"other-ca.example\"]");
        assertThat(result.detail()).startsWith("CAA records at www.example.test (via CNAME cdn.example.net) do not"
                + " allow this CA");
    }

    @Test
    void anEmptyIssueValueForbidsEveryCa() {
        dns.caa("example.test", 0, "issue", ";");

        ValidationResult result = validate("www.example.test");

        assertThat(result.problem()).isEqualTo(ProblemType.CAA);
        assertThat(result.detail()).isEqualTo("CAA records at example.test do not allow this CA to issue for"
                + " www.example.test (0 issue \";\": it allows no CA)");
    }

    @Test
    void aWildcardFollowsIssuewildWhenThereIsOne() {
        dns.caa("example.test", 0, "issue", "ca.example").caa("example.test", 0, "issuewild", "other-ca.example");

        ValidationResult result = validate("*.example.test");

        assertThat(result.problem()).isEqualTo(ProblemType.CAA);
        assertThat(result.detail()).isEqualTo("CAA records at example.test do not allow this CA to issue for"
                + " *.example.test (0 issuewild \"other-ca.example\": it names other-ca.example, " + US + ")");
        assertThat(caaQueries()).containsExactly("example.test CAA");
    }

    @Test
    void aWildcardFollowsIssueWhenThereIsNoIssuewild() {
        dns.caa("example.test", 0, "issue", "ca.example");

        assertThat(validate("*.example.test").valid()).isTrue();
    }

    @Test
    void aWildcardAllowedByIssuewildIsAllowedWhateverIssueSays() {
        dns.caa("example.test", 0, "issue", ";").caa("example.test", 0, "issuewild", "ca.example");

        assertThat(validate("*.example.test").valid()).isTrue();
        assertThat(validate("example.test").problem()).isEqualTo(ProblemType.CAA);
    }

    @Test
    void issuewildDoesNotRestrictANameThatIsNoWildcard() {
        dns.caa("example.test", 0, "issuewild", ";");

        assertThat(validate("www.example.test").valid()).isTrue();
    }

    @Test
    void aMatchingAccountUriAllows() {
        dns.caa("example.test", 0, "issue", "ca.example; accounturi=" + ACCOUNT_URL);

        assertThat(validate("www.example.test").valid()).isTrue();
    }

    @Test
    void anotherAccountUriRefuses() {
        dns.caa("example.test", 0, "issue", "ca.example; accounturi=https://ca.example/acme/acct/2");

        ValidationResult result = validate("www.example.test");

        assertThat(result.problem()).isEqualTo(ProblemType.CAA);
        assertThat(result.detail()).isEqualTo("CAA records at example.test do not allow this CA to issue for"
                + " www.example.test (0 issue \"ca.example; accounturi=https://ca.example/acme/acct/2\": accounturi is"
                + " https://ca.example/acme/acct/2, the account is " + ACCOUNT_URL + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca.example; validationmethods=dns-01", "ca.example;validationmethods=http-01,dns-01",
        "ca.example; accounturi=" + ACCOUNT_URL + "; validationmethods=tls-alpn-01, dns-01"})
    void validationMethodsThatIncludeTheChallengeAllow(String value) {
        dns.caa("example.test", 0, "issue", value);

        assertThat(validate("www.example.test").valid()).as(value).isTrue();
    }

    @Test
    void validationMethodsWithoutTheChallengeRefuse() {
        dns.caa("example.test", 0, "issue", "ca.example; validationmethods=http-01,tls-alpn-01");

        ValidationResult result = validate("www.example.test");

        assertThat(result.problem()).isEqualTo(ProblemType.CAA);
        assertThat(result.detail()).endsWith(": validationmethods is http-01,tls-alpn-01, the challenge is dns-01)");
    }

    @Test
    void anUnknownCriticalPropertyForbidsIssuance() {
        dns.caa("example.test", 0, "issue", "ca.example").caa("example.test", 128, "tbs", "unknown");

        ValidationResult result = validate("www.example.test");

        assertThat(result.problem()).isEqualTo(ProblemType.CAA);
        assertThat(result.detail()).isEqualTo("CAA record 128 tbs \"unknown\" at example.test is critical and its"
                + " property is unknown to this CA, so no certificate may be issued (RFC 8659 4.5)");
    }

    @Test
    void anUnknownPropertyThatIsNotCriticalIsIgnored() {
        dns.caa("example.test", 0, "tbs", "unknown").caa("example.test", 0, "issue", "ca.example");

        assertThat(validate("www.example.test").valid()).isTrue();
    }

    @Test
    void aRecordSetWithoutIssuePropertiesAllowsEveryCa() {
        dns.caa("example.test", 0, "iodef", "mailto:security@example.test").caa("example.test", 0, "contactemail",
                "x@example.test");

        assertThat(validate("www.example.test").valid()).isTrue();
    }

    @Test
    void aCriticalFlagOnAKnownPropertyIsFine() {
        dns.caa("example.test", 128, "issue", "ca.example").caa("example.test", 128, "iodef", "mailto:x@example.test");

        assertThat(validate("www.example.test").valid()).isTrue();
    }

    // Tags are case-insensitive too (RFC 8659 4.1), but dnsjava refuses to parse an upper-case tag at all, so
    // such records never reach CaaCheck; DnsJavaResolverTest shows that this fails closed.
    @Test
    void issuerDomainNamesAndParameterNamesAreCaseInsensitive() {
        dns.caa("example.test", 0, "issue", " CA.Example ; AccountURI=" + ACCOUNT_URL)
                .caa("example.test", 128, "issuewild", "CertPlane.EXAMPLE");

        assertThat(validate("www.example.test").valid()).isTrue();
        assertThat(validate("*.example.test").valid()).isTrue();
    }

    @Test
    void anotherCaInUpperCaseIsStillAnotherCa() {
        dns.caa("example.test", 0, "issue", "Other-CA.example");

        assertThat(validate("www.example.test").detail()).contains("(0 issue \"Other-CA.example\": it names"
                + " other-ca.example, " + US + ")");
    }

    @Test
    void ipIdentifiersSkipCaa() {
        List<String> record = new ArrayList<>();

        CaaCheck.check(check(Identifier.ip("192.0.2.1"), ChallengeType.HTTP_01, OURS), dns,
                Deadline.after(Duration.ofSeconds(5)), record);

        assertThat(dns.queries).isEmpty();
        assertThat(record).isEmpty();
    }

    @Test
    void caaIsNotConsultedWhenTheProfileDoesNotAskForIt() {
        dns.caa("example.test", 0, "issue", ";");

        ValidationResult result = Fixtures.settings().validator(dns)
                .validate(check(Identifier.dns("www.example.test"), ChallengeType.DNS_01));

        assertThat(result.valid()).isTrue();
        assertThat(caaQueries()).isEmpty();
    }

    @Test
    void caaIsNotConsultedWhenTheChallengeFails() {
        ValidationResult result = validate("nothing.example.test");

        assertThat(result.problem()).isEqualTo(ProblemType.DNS);
        assertThat(caaQueries()).isEmpty();
    }

    private ValidationResult validate(String name) {
        return Fixtures.settings().validator(dns).validate(check(Identifier.dns(name), ChallengeType.DNS_01, OURS));
    }

    private List<String> caaQueries() {
        return dns.queries.stream().filter(q -> q.endsWith(" CAA")).toList();
    }
}
