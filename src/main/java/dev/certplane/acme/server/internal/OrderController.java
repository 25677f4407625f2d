package dev.certplane.acme.server.internal;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** newOrder (RFC 8555 7.4), the order resource, finalize, authorizations and challenges (7.5). */
@RestController
class OrderController {

    /** Seconds a client should wait before polling an order that is being finalized (RFC 8555 7.4). */
    static final String RETRY_AFTER_PROCESSING = "1";
    /** Seconds between polls of an order held for change approval, which may take days. */
    static final String RETRY_AFTER_HELD = "10";

    private final Orders orders;
    private final Challenges challenges;

    OrderController(Orders orders, Challenges challenges) {
        this.orders = orders;
        this.challenges = challenges;
    }

    @PostMapping("/acme/{profile}/new-order")
    ResponseEntity<Wire.OrderResource> newOrder(@PathVariable String profile, @Signed SignedRequest request) {
        Orders.OrderView view = orders.create(request);
        return ResponseEntity.status(201).header(HttpHeaders.LOCATION, view.url()).body(view.resource());
    }

    @PostMapping("/acme/{profile}/order/{id}")
    ResponseEntity<Wire.OrderResource> order(@PathVariable String profile, @PathVariable String id,
            @Signed SignedRequest request) {
        return respond(orders.get(request, id));
    }

    @PostMapping("/acme/{profile}/order/{id}/finalize")
    ResponseEntity<Wire.OrderResource> finalizeOrder(@PathVariable String profile, @PathVariable String id,
            @Signed SignedRequest request) {
        return respond(orders.finalizeOrder(request, id));
    }

    @PostMapping("/acme/{profile}/authz/{id}")
    ResponseEntity<Wire.AuthorizationResource> authorization(@PathVariable String profile, @PathVariable String id,
            @Signed SignedRequest request) {
        Orders.AuthorizationView view = orders.authorization(request, id);
        return underValidation(view.orderUrl(), view.processing()).body(view.resource());
    }

    /** RFC 8555 7.5.1: answering a challenge, or reading it with POST-as-GET. */
    @PostMapping("/acme/{profile}/chall/{id}")
    ResponseEntity<Wire.ChallengeResource> challenge(@PathVariable String profile, @PathVariable String id,
            @Signed SignedRequest request) {
        Challenges.ChallengeView view = challenges.respond(request, id);
        return underValidation(view.authorizationUrl(), view.processing()).body(view.resource());
    }

    /** An authorization or challenge response: linked up to its parent, and asking to wait while validating. */
    private static ResponseEntity.BodyBuilder underValidation(String upUrl, boolean processing) {
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().header(HttpHeaders.LINK, "<" + upUrl + ">;rel=\"up\"");
        if (processing) {
            response.header(HttpHeaders.RETRY_AFTER, Challenges.RETRY_AFTER);
        }
        return response;
    }

    private static ResponseEntity<Wire.OrderResource> respond(Orders.OrderView view) {
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().header(HttpHeaders.LOCATION, view.url());
        if (view.processing()) {
            response.header(HttpHeaders.RETRY_AFTER, view.held() ? RETRY_AFTER_HELD : RETRY_AFTER_PROCESSING);
        }
        return response.body(view.resource());
    }
}
