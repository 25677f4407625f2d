package dev.certplane.acme.server.internal.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.ProblemType;

import org.xbill.DNS.CAARecord;
import org.xbill.DNS.Type;

/**
 * CAA (RFC 8659) with the account and method parameters of RFC 8657: the relevant record set is the first
 * non-empty one found climbing from the name towards the root (RFC 8659 3); its {@code issue} records (or
 * {@code issuewild} ones for a wildcard, when there are any, 4.3) must name one of the profile's issuer domain
 * names, with a matching {@code accounturi} and {@code validationmethods} when those are given.
 */
final class CaaCheck {

    private static final Set<String> UNDERSTOOD = Set.of("issue", "issuewild", "iodef");
    private static final int CRITICAL = 128;

    private CaaCheck() {
    }

    static void check(ChallengeCheck check, Dns dns, Deadline deadline, List<String> record) {
        Identifier identifier = check.identifier();
        if (identifier.type().equals(Identifier.IP)) {
            // RFC 8738 7: CAA is defined for DNS names only.
            return;
        }
        String name = identifier.baseName();
        String[] labels = name.split("\\.");
        for (int i = 0; i < labels.length; i++) {
            String candidate = String.join(".", Arrays.copyOfRange(labels, i, labels.length));
            Dns.Answer answer = dns.query(candidate, Type.CAA, deadline);
            if (answer.records().isEmpty()) {
                continue;
            }
            List<CAARecord> set = answer.records().stream().map(CAARecord.class::cast).toList();
            record.add("CAA " + answer.describeName() + ": " + set.stream().map(CaaCheck::text).toList());
            evaluate(set, answer.describeName(), check);
            return;
        }
        record.add("CAA: no records at " + name + " or above it; any CA may issue");
    }

    private static void evaluate(List<CAARecord> set, String at, ChallengeCheck check) {
        for (CAARecord caa : set) {
            if ((caa.getFlags() & CRITICAL) != 0 && !UNDERSTOOD.contains(caa.getTag().toLowerCase(Locale.ROOT))) {
                throw new ValidationFailure(ProblemType.CAA, "CAA record " + text(caa) + " at " + at + " is critical and"
                        + " its property is unknown to this CA, so no certificate may be issued (RFC 8659 4.5)");
            }
        }
        List<CAARecord> issue = withTag(set, "issue");
        List<CAARecord> applicable = issue;
        if (check.identifier().isWildcard() && !withTag(set, "issuewild").isEmpty()) {
            applicable = withTag(set, "issuewild");
        }
        if (applicable.isEmpty()) {
            return;
        }
        List<String> reasons = new ArrayList<>();
        for (CAARecord caa : applicable) {
            Optional<String> mismatch = mismatch(caa, check);
            if (mismatch.isEmpty()) {
                return;
            }
            reasons.add(text(caa) + ": " + mismatch.get());
        }
        throw new ValidationFailure(ProblemType.CAA, "CAA records at " + at + " do not allow this CA to issue for "
                + check.identifier().value() + " (" + String.join("; ", reasons) + ")");
    }

    /** Why this record does not authorize us, or empty if it does. */
    private static Optional<String> mismatch(CAARecord caa, ChallengeCheck check) {
        String value = caa.getValue();
        String[] parts = value.split(";", -1);
        String domain = parts[0].trim().toLowerCase(Locale.ROOT);
        if (domain.isEmpty()) {
            return Optional.of("it allows no CA");
        }
        if (!check.caa().issuerDomains().contains(domain)) {
            return Optional.of("it names " + domain + ", this CA is " + String.join(", ", check.caa().issuerDomains()));
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            if (equals > 0) {
                parameters.put(parameter.substring(0, equals).trim().toLowerCase(Locale.ROOT),
                        parameter.substring(equals + 1).trim());
            }
        }
        String accountUri = parameters.get("accounturi");
        if (accountUri != null && !accountUri.equals(check.accountUrl())) {
            return Optional.of("accounturi is " + accountUri + ", the account is " + check.accountUrl());
        }
        String methods = parameters.get("validationmethods");
        if (methods != null && Arrays.stream(methods.split(",")).map(String::trim)
                .noneMatch(m -> m.equals(check.type().wire()))) {
            return Optional.of("validationmethods is " + methods + ", the challenge is " + check.type().wire());
        }
        return Optional.empty();
    }

    private static List<CAARecord> withTag(List<CAARecord> set, String tag) {
        return set.stream().filter(r -> r.getTag().equalsIgnoreCase(tag)).toList();
    }

    private static String text(CAARecord caa) {
        return caa.getFlags() + " " + Text.excerpt(caa.getTag()) + " \"" + Text.excerpt(caa.getValue()) + "\"";
    }
}
