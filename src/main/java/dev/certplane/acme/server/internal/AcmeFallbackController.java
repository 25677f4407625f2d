package dev.certplane.acme.server.internal;

import java.util.regex.Pattern;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.ProblemType;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Whatever no ACME resource matched, so that it too is answered with an ACME problem: 405 for a resource
 * that exists but only takes POST (RFC 8555 6.3: no GET except the directory, newNonce and renewalInfo),
 * 404 otherwise.
 */
@RestController
class AcmeFallbackController {

    private static final Pattern POST_ONLY = Pattern.compile(
            "/acme/[^/]+/(new-account|new-order|revoke-cert|key-change|acct/[^/]+(/orders)?|order/[^/]+(/finalize)?"
                    + "|authz/[^/]+|cert/[^/]+(/1)?)");

    @RequestMapping("/acme/**")
    void unmatched(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (POST_ONLY.matcher(path).matches()) {
            throw AcmeProblem.withStatus(ProblemType.MALFORMED, 405, request.getMethod() + " is not allowed here; ACME"
                    + " resources are fetched with POST-as-GET (RFC 8555 6.3)");
        }
        throw AcmeProblem.withStatus(ProblemType.MALFORMED, 404, "there is no ACME resource at this URL");
    }
}
