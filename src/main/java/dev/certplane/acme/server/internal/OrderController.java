package dev.certplane.acme.server.internal;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** newOrder (RFC 8555 7.4), the order resource, finalize, and authorizations (7.5). */
@RestController
class OrderController {

    /** Seconds a client should wait before polling an order that is being finalized (RFC 8555 7.4). */
    static final String RETRY_AFTER_PROCESSING = "1";

    private final Orders orders;

    OrderController(Orders orders) {
        this.orders = orders;
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
        return ResponseEntity.ok().header(HttpHeaders.LINK, "<" + view.orderUrl() + ">;rel=\"up\"")
                .body(view.resource());
    }

    private static ResponseEntity<Wire.OrderResource> respond(Orders.OrderView view) {
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().header(HttpHeaders.LOCATION, view.url());
        if (view.processing()) {
            response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_PROCESSING);
        }
        return response.body(view.resource());
    }
}
