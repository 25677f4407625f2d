package dev.certplane.acme.server.internal.validation;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.ProblemType;

/**
 * HTTP-01 (RFC 8555 8.3): GET {@code http://<identifier>/.well-known/acme-challenge/<token>} must return the
 * key authorization. Redirects are followed, at most {@value #MAX_REDIRECTS}, only to http or https on the
 * standard or configured ports, each target resolved and checked against the address policy again.
 */
final class Http01Validator implements Validator {

    static final int MAX_REDIRECTS = 10;

    private final Targets targets;
    private final int httpPort;
    private final Set<Integer> allowedPorts;
    private final int maxBody;
    private final Duration readTimeout;

    Http01Validator(Targets targets, int httpPort, int tlsPort, int maxBody, Duration readTimeout) {
        this.targets = targets;
        this.httpPort = httpPort;
        this.allowedPorts = Set.copyOf(List.of(80, 443, httpPort, tlsPort));
        this.maxBody = maxBody;
        this.readTimeout = readTimeout;
    }

    @Override
    public ChallengeType type() {
        return ChallengeType.HTTP_01;
    }

    @Override
    public void check(ChallengeCheck check, Dns dns, Deadline deadline, List<String> record) {
        String host = check.identifier().value();
        String path = "/.well-known/acme-challenge/" + check.keyAuthorization().token();
        URI url = URI.create("http://" + Targets.hostPort(host, httpPort) + path);
        Set<URI> seen = new HashSet<>();
        for (int redirects = 0; ; redirects++) {
            seen.add(url);
            HttpGet.Response response = get(url, dns, deadline, record);
            record.add("GET " + url + ": HTTP " + response.status() + ", " + response.body().length + " bytes");
            if (isRedirect(response.status()) && response.headers().containsKey("location")) {
                if (redirects == MAX_REDIRECTS) {
                    throw new ValidationFailure(ProblemType.CONNECTION, "more than " + MAX_REDIRECTS
                            + " redirects, the last from " + url);
                }
                url = redirectTarget(url, response.headers().get("location"));
                if (seen.contains(url)) {
                    throw new ValidationFailure(ProblemType.CONNECTION, "redirect loop: " + url + " was already visited");
                }
                continue;
            }
            if (response.status() != 200) {
                throw new ValidationFailure(ProblemType.INCORRECT_RESPONSE, "HTTP " + response.status() + " from " + url
                        + " (expected 200 with the key authorization); body: \"" + Text.excerpt(response.bodyText()) + "\"");
            }
            String expected = check.keyAuthorization().text();
            // RFC 8555 8.3: whitespace at the end of the body is ignored.
            String body = response.bodyText().stripTrailing();
            if (!body.equals(expected)) {
                throw new ValidationFailure(ProblemType.INCORRECT_RESPONSE, "the key authorization from " + url
                        + " is wrong: received \"" + Text.excerpt(body) + "\", expected \"" + expected + "\"");
            }
            return;
        }
    }

    private HttpGet.Response get(URI url, Dns dns, Deadline deadline, List<String> record) {
        String host = hostOf(url);
        int port = url.getPort() < 0 ? (url.getScheme().equals("https") ? 443 : 80) : url.getPort();
        String hostHeader = Targets.hostPort(host, port);
        if (port == 80 || port == 443) {
            hostHeader = host.contains(":") ? "[" + host + "]" : host;
        }
        String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        try (Socket plain = targets.connect(host, port, dns, deadline, record)) {
            Socket socket = plain;
            if (url.getScheme().equals("https")) {
                socket = Tls.handshake(plain, Targets.hostPort(host, port), Targets.isIp(host) ? null : host, List.of(),
                        deadline, readTimeout);
            }
            try (Socket used = socket) {
                return HttpGet.fetch(used, hostHeader, path, url.toString(), maxBody, deadline, readTimeout);
            }
        } catch (IOException e) {
            throw new ValidationFailure(ProblemType.CONNECTION, "the connection to " + url + " failed: " + e.getMessage());
        }
    }

    private URI redirectTarget(URI from, String location) {
        URI target;
        try {
            target = from.resolve(new URI(location.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ValidationFailure(ProblemType.CONNECTION, "the redirect from " + from + " to \""
                    + Text.excerpt(location) + "\" is not a valid URL");
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ValidationFailure(ProblemType.CONNECTION, "the redirect from " + from + " goes to \""
                    + Text.excerpt(location) + "\"; only http and https are followed");
        }
        if (target.getRawUserInfo() != null || target.getHost() == null) {
            throw new ValidationFailure(ProblemType.CONNECTION, "the redirect from " + from + " to \""
                    + Text.excerpt(location) + "\" has no host or carries user information");
        }
        if (target.getPort() >= 0 && !allowedPorts.contains(target.getPort())) {
            throw new ValidationFailure(ProblemType.CONNECTION, "the redirect from " + from + " goes to port "
                    + target.getPort() + "; only ports " + allowedPorts.stream().sorted().toList() + " are followed");
        }
        String host = hostOf(target);
        if (!Targets.isIp(host)) {
            try {
                Identifier.dns(host);
            } catch (AcmeProblem e) {
                throw new ValidationFailure(ProblemType.CONNECTION, "the redirect from " + from + " names host \""
                        + Text.excerpt(host) + "\", which is not a valid DNS name");
            }
        }
        return target;
    }

    private static String hostOf(URI url) {
        String host = url.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("[") ? Identifier.canonicalIp(host.substring(1, host.length() - 1)) : host;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
