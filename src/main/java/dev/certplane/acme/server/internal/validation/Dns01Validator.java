package dev.certplane.acme.server.internal.validation;

import java.util.List;

import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.ProblemType;

import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * DNS-01 (RFC 8555 8.4): a TXT record at {@code _acme-challenge.<name>} (the base name of a wildcard) must hold
 * base64url(SHA-256(key authorization)). CNAMEs are followed, so the record may be delegated elsewhere.
 */
final class Dns01Validator implements Validator {

    @Override
    public ChallengeType type() {
        return ChallengeType.DNS_01;
    }

    @Override
    public void check(ChallengeCheck check, Dns dns, Deadline deadline, List<String> record) {
        String name = "_acme-challenge." + check.identifier().baseName();
        String expected = check.keyAuthorization().dnsRecord();
        Dns.Answer answer = dns.query(name, Type.TXT, deadline);
        // A TXT record may be split into several strings; they are one value (RFC 7208 3.3 does the same).
        List<String> values = answer.records().stream()
                .map(r -> String.join("", ((TXTRecord) r).getStrings())).toList();
        record.add("TXT " + answer.describeName() + " via " + dns.describe() + ": "
                + (answer.nxdomain() ? "NXDOMAIN" : values.stream().map(Text::excerpt).toList()));
        if (answer.nxdomain()) {
            throw new ValidationFailure(ProblemType.DNS, "DNS problem: NXDOMAIN looking up TXT for "
                    + answer.describeName() + " (resolvers " + dns.describe() + ")");
        }
        if (values.isEmpty()) {
            throw new ValidationFailure(ProblemType.UNAUTHORIZED, "no TXT record found at " + answer.describeName()
                    + " (resolvers " + dns.describe() + "); expected \"" + expected + "\"");
        }
        if (!values.contains(expected)) {
            throw new ValidationFailure(ProblemType.UNAUTHORIZED, "incorrect TXT record" + (values.size() > 1 ? "s " : " ")
                    + values.stream().limit(5).map(v -> "\"" + Text.excerpt(v) + "\"").toList() + " found at "
                    + answer.describeName() + "; expected \"" + expected + "\"");
        }
    }
}
