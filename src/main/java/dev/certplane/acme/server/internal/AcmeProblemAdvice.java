package dev.certplane.acme.server.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.JwsAlgorithm;
import dev.certplane.acme.protocol.ProblemType;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place ACME errors become {@code application/problem+json} (RFC 8555 6.7) with their
 * {@code urn:ietf:params:acme:error:*} type. Anything unexpected is a {@code serverInternal} whose detail
 * is only a log reference: no stack trace leaves the server.
 */
@RestControllerAdvice(assignableTypes = {DirectoryController.class, AccountController.class, OrderController.class,
        CertificateController.class, AcmeFallbackController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class AcmeProblemAdvice {

    static final MediaType PROBLEM_JSON = MediaType.parseMediaType("application/problem+json");

    private static final Logger log = LoggerFactory.getLogger(AcmeProblemAdvice.class);

    @ExceptionHandler(AcmeProblem.class)
    ResponseEntity<Map<String, Object>> problem(AcmeProblem problem, HttpServletRequest request) {
        request.setAttribute(AcmeResponseFilter.OUTCOME, problem.type().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type().urn());
        body.put("detail", problem.detail());
        body.put("status", problem.status());
        if (!problem.subproblems().isEmpty()) {
            List<Map<String, Object>> subproblems = problem.subproblems().stream().map(s -> {
                Map<String, Object> sub = new LinkedHashMap<>();
                sub.put("type", s.type().urn());
                sub.put("detail", s.detail());
                sub.put("identifier", Map.of("type", s.identifier().type(), "value", s.identifier().value()));
                return sub;
            }).toList();
            body.put("subproblems", subproblems);
        }
        if (problem.type() == ProblemType.BAD_SIGNATURE_ALGORITHM) {
            body.put("algorithms", JwsAlgorithm.names());
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.status()).contentType(PROBLEM_JSON);
        if (problem.location() != null) {
            response.header(HttpHeaders.LOCATION, problem.location());
        }
        if (problem.status() == 405) {
            response.header(HttpHeaders.ALLOW, "POST");
        }
        return response.body(body);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request) {
        String reference = UUID.randomUUID().toString();
        log.error("unexpected error in ACME request {}, reference {}", request.getRequestURI(), reference, e);
        return problem(AcmeProblem.of(ProblemType.SERVER_INTERNAL, "internal error; reference " + reference), request);
    }
}
