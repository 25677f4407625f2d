package dev.certplane.acme.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.ProblemType;

import tools.jackson.databind.JsonNode;

/** Account contact URLs (RFC 8555 7.3): {@code mailto:} addresses only, one address each, no header fields. */
final class Contacts {

    static final int MAX = 10;

    private Contacts() {
    }

    static List<String> parse(JsonNode contact) {
        if (!contact.isArray()) {
            throw AcmeProblem.malformed("\"contact\" must be an array of URLs");
        }
        if (contact.size() > MAX) {
            throw AcmeProblem.of(ProblemType.INVALID_CONTACT, "at most " + MAX + " contacts are accepted");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode entry : contact) {
            if (!entry.isString()) {
                throw AcmeProblem.malformed("each contact must be a string");
            }
            result.add(validate(entry.asString()));
        }
        return result;
    }

    private static String validate(String url) {
        String shown = url.length() > 100 ? url.substring(0, 100) + "…" : url;
        if (!url.toLowerCase(Locale.ROOT).startsWith("mailto:")) {
            throw AcmeProblem.of(ProblemType.UNSUPPORTED_CONTACT, "contact \"" + shown
                    + "\" is not supported; only mailto: URLs are accepted");
        }
        String address = url.substring("mailto:".length());
        // RFC 8555 7.3: one address per URL and no hfields.
        if (address.contains("?") || address.contains(",") || address.length() > 254) {
            throw AcmeProblem.of(ProblemType.INVALID_CONTACT, "contact \"" + shown
                    + "\" must be a single e-mail address without header fields");
        }
        int at = address.lastIndexOf('@');
        String local = at > 0 ? address.substring(0, at) : "";
        if (local.isEmpty() || local.length() > 64 || !local.matches("[A-Za-z0-9.!#$%&'*+/=^_`{|}~-]+")
                || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw AcmeProblem.of(ProblemType.INVALID_CONTACT, "contact \"" + shown + "\" is not a valid e-mail address");
        }
        try {
            Identifier domain = Identifier.dns(address.substring(at + 1));
            if (domain.isWildcard() || !domain.value().contains(".")) {
                throw AcmeProblem.of(ProblemType.INVALID_CONTACT, "contact \"" + shown
                        + "\" needs a fully qualified domain");
            }
        } catch (AcmeProblem e) {
            if (e.type() == ProblemType.INVALID_CONTACT) {
                throw e;
            }
            throw AcmeProblem.of(ProblemType.INVALID_CONTACT, "contact \"" + shown + "\" has an invalid domain: "
                    + e.detail());
        }
        return url;
    }
}
