package dev.certplane.alerts.internal.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.certplane.alerts.AlertSeverity;

import org.jspecify.annotations.Nullable;

/**
 * Checks a channel description and says precisely what is wrong. Pure: no I/O, no name lookups. Messages never
 * repeat a secret (a URL is named by its field only, never quoted).
 */
final class ChannelValidation {

    static final List<String> TYPES = List.of("webhook", "slack", "email");
    static final List<String> SECURITY = List.of("none", "starttls", "tls");
    static final int MAX_RECIPIENTS = 50;
    static final int MAX_KINDS = 50;

    private static final Pattern KIND = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+");

    private ChannelValidation() {
    }

    /** A checked channel, with its secrets merged from the input and the stored ones. */
    record Valid(String name, String type, boolean enabled, AlertSeverity minSeverity, List<String> kinds,
            @Nullable String endpoint, @Nullable EmailSettings email, ChannelSecrets secrets,
            List<String> secretsChanged) {
    }

    /**
     * @param stored the channel's sealed values when it is replaced, {@link ChannelSecrets#NONE} when it is created
     * @throws IllegalArgumentException naming the field that is wrong and why
     */
    static Valid validate(ChannelInput in, ChannelSecrets stored) {
        String name = trimmed(in.name());
        if (name == null) {
            throw new IllegalArgumentException("name is required");
        }
        if (name.length() > 100) {
            throw new IllegalArgumentException("name is " + name.length() + " characters long; use at most 100");
        }
        String type = trimmed(in.type());
        if (type == null) {
            throw new IllegalArgumentException("type is required: one of " + String.join(", ", TYPES));
        }
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("type '" + type + "' is not one of " + String.join(", ", TYPES));
        }
        AlertSeverity minSeverity = in.minSeverity() == null || in.minSeverity().isBlank() ? AlertSeverity.INFO
                : severity(in.minSeverity());
        List<String> kinds = kinds(in.kinds());
        Map<String, Boolean> given = new LinkedHashMap<>();
        given.put("url", in.url() != null);
        given.put("signingSecret", in.signingSecret() != null);
        given.put("host", in.host() != null);
        given.put("port", in.port() != null);
        given.put("security", in.security() != null);
        given.put("username", in.username() != null);
        given.put("password", in.password() != null);
        given.put("from", in.from() != null);
        given.put("to", in.to() != null);
        List<String> own = switch (type) {
            case "webhook" -> List.of("url", "signingSecret");
            case "slack" -> List.of("url");
            default -> List.of("host", "port", "security", "username", "password", "from", "to");
        };
        given.forEach((field, set) -> {
            if (set && !own.contains(field)) {
                throw new IllegalArgumentException(field + " is not used by " + type + " channels; they take "
                        + String.join(", ", own));
            }
        });
        boolean enabled = in.enabled() == null || in.enabled();
        List<String> changed = new ArrayList<>();
        if (type.equals("email")) {
            EmailSettings email = email(in);
            String password = stored.password();
            if (in.password() != null) {
                password = in.password().isEmpty() ? null : in.password();
                changed.add("password");
            }
            if (password != null) {
                if (email.username() == null) {
                    throw new IllegalArgumentException("password needs a username");
                }
                if (email.security().equals("none")) {
                    throw new IllegalArgumentException("password is only sent over an encrypted connection; set "
                            + "security to starttls or tls");
                }
                if (password.length() > 500) {
                    throw new IllegalArgumentException("password is longer than 500 characters");
                }
            }
            return new Valid(name, type, enabled, minSeverity, kinds, null, email,
                    new ChannelSecrets(null, null, password), changed);
        }
        String url = stored.url();
        if (in.url() != null) {
            url = in.url().trim();
            changed.add("url");
        }
        if (url == null || url.isEmpty()) {
            throw new IllegalArgumentException(type + " channels need url: the "
                    + (type.equals("slack") ? "Slack incoming-webhook URL" : "http(s) URL to POST alerts to"));
        }
        String endpoint = endpoint(url);
        String signingSecret = stored.signingSecret();
        if (in.signingSecret() != null) {
            signingSecret = in.signingSecret().isEmpty() ? null : in.signingSecret();
            changed.add("signingSecret");
        }
        if (signingSecret != null && (signingSecret.length() < 16 || signingSecret.length() > 200)) {
            throw new IllegalArgumentException("signingSecret is " + signingSecret.length()
                    + " characters long; use 16 to 200");
        }
        return new Valid(name, type, enabled, minSeverity, kinds, endpoint, null,
                new ChannelSecrets(url, type.equals("webhook") ? signingSecret : null, null), changed);
    }

    static AlertSeverity severity(String text) {
        try {
            return AlertSeverity.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("minSeverity: " + e.getMessage(), e);
        }
    }

    private static List<String> kinds(@Nullable List<String> kinds) {
        if (kinds == null) {
            return List.of();
        }
        if (kinds.size() > MAX_KINDS) {
            throw new IllegalArgumentException("kinds has " + kinds.size() + " entries; use at most " + MAX_KINDS);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            String kind = kinds.get(i) == null ? "" : kinds.get(i).trim();
            if (!KIND.matcher(kind).matches()) {
                throw new IllegalArgumentException("kinds[" + i + "] '" + printable(kind) + "' is not an alert kind: "
                        + "lower-case letters, digits, '_', '.' and '-', such as certificate_expiry");
            }
            if (!out.contains(kind)) {
                out.add(kind);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Checks a webhook URL and returns what may be shown of it: scheme, host and port.
     *
     * @throws IllegalArgumentException saying what is wrong without repeating the URL
     */
    static String endpoint(String url) {
        if (url.length() > 2000) {
            throw new IllegalArgumentException("url is " + url.length() + " characters long; use at most 2000");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid URL: " + e.getReason() + " at index "
                    + e.getIndex());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !uri.isAbsolute()) {
            throw new IllegalArgumentException("url must be an absolute http:// or https:// URL");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("url must use http or https, not " + printable(scheme));
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url must not contain a user name or password; webhooks authenticate "
                    + "with signingSecret or a token in the path");
        }
        if (uri.getHost() == null) {
            String authority = uri.getRawAuthority();
            if (authority != null && authority.matches(".*:[^\\]:]*")) {
                String port = authority.substring(authority.lastIndexOf(':') + 1);
                throw new IllegalArgumentException("url port '" + printable(port) + "' is not a number from 1 to 65535");
            }
            throw new IllegalArgumentException("url has no valid host name");
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535) {
            throw new IllegalArgumentException("url port " + port + " is not a number from 1 to 65535");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("url must not have a fragment (#...)");
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port);
    }

    private static EmailSettings email(ChannelInput in) {
        String host = trimmed(in.host());
        if (host == null) {
            throw new IllegalArgumentException("email channels need host: the SMTP server's name or address");
        }
        if (!hostName(host)) {
            throw new IllegalArgumentException("host '" + printable(host) + "' is not a DNS name or IPv4 address");
        }
        String security = in.security() == null ? "starttls" : in.security().trim().toLowerCase(Locale.ROOT);
        if (!SECURITY.contains(security)) {
            throw new IllegalArgumentException("security '" + printable(in.security()) + "' is not one of "
                    + String.join(", ", SECURITY));
        }
        int port = in.port() == null ? switch (security) {
            case "tls" -> 465;
            case "starttls" -> 587;
            default -> 25;
        } : in.port();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a number from 1 to 65535");
        }
        String username = trimmed(in.username());
        if (username != null && (username.length() > 200 || username.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new IllegalArgumentException("username must be at most 200 characters without control characters");
        }
        String from = trimmed(in.from());
        if (from == null) {
            throw new IllegalArgumentException("email channels need from: the sender's address");
        }
        checkAddress("from", from);
        if (in.to() == null || in.to().isEmpty()) {
            throw new IllegalArgumentException("email channels need to: a list of at least one recipient address");
        }
        if (in.to().size() > MAX_RECIPIENTS) {
            throw new IllegalArgumentException("to has " + in.to().size() + " addresses; use at most "
                    + MAX_RECIPIENTS);
        }
        List<String> to = new ArrayList<>();
        for (int i = 0; i < in.to().size(); i++) {
            String address = in.to().get(i) == null ? "" : in.to().get(i).trim();
            checkAddress("to[" + i + "]", address);
            if (!to.contains(address)) {
                to.add(address);
            }
        }
        return new EmailSettings(host, port, security, username, from, to);
    }

    /**
     * An address as SMTP's MAIL and RCPT commands take it (RFC 5321 4.1.2): a dot-atom local part, {@code @}, a
     * domain name. Quoted local parts and address literals are refused, and so is any display name.
     */
    static void checkAddress(String field, String address) {
        String shown = printable(address);
        int at = address.lastIndexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException(field + " '" + shown + "' is not an e-mail address: it has no @");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.isEmpty() || local.length() > 64 || local.startsWith(".") || local.endsWith(".")
                || local.contains("..") || !local.chars().allMatch(c -> c == '.' || ATOM.matcher(
                        String.valueOf((char) c)).matches())) {
            throw new IllegalArgumentException(field + " '" + shown + "' is not an e-mail address: the part before @ "
                    + "must be 1 to 64 letters, digits, dots (not first, last or doubled) or !#$%&'*+/=?^_`{|}~-");
        }
        if (domain.isEmpty()) {
            throw new IllegalArgumentException(field + " '" + shown + "' is not an e-mail address: the domain after @ "
                    + "is missing");
        }
        if (!hostName(domain) || domain.matches("[0-9.]+")) {
            throw new IllegalArgumentException(field + " '" + shown + "' is not an e-mail address: '" + domain
                    + "' after @ is not a domain name");
        }
        if (address.length() > 254) {
            throw new IllegalArgumentException(field + " is " + address.length() + " characters long; an address has "
                    + "at most 254");
        }
    }

    private static boolean hostName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static @Nullable String trimmed(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    /** Input quoted in a message, without control characters and cut short. */
    private static String printable(@Nullable String text) {
        String clean = String.valueOf(text).replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 80 ? clean : clean.substring(0, 80) + "...";
    }
}
