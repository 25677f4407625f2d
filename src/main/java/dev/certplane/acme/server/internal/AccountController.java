package dev.certplane.acme.server.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** newAccount (RFC 8555 7.3), the account resource (7.3.2, 7.3.6), its orders list (7.1.2.1) and keyChange (7.3.5). */
@RestController
class AccountController {

    private final Accounts accounts;
    private final Orders orders;
    private final AcmeUrls urls;

    AccountController(Accounts accounts, Orders orders, AcmeUrls urls) {
        this.accounts = accounts;
        this.orders = orders;
        this.urls = urls;
    }

    @PostMapping("/acme/{profile}/new-account")
    ResponseEntity<Wire.AccountResource> newAccount(@PathVariable String profile, @Signed(KeyMode.JWK) SignedRequest request) {
        Accounts.Registration registration = accounts.register(request);
        return ResponseEntity.status(registration.created() ? 201 : 200)
                .header(HttpHeaders.LOCATION, urls.account(profile, registration.account().id()))
                .body(resource(registration.account()));
    }

    @PostMapping("/acme/{profile}/acct/{id}")
    ResponseEntity<Wire.AccountResource> account(@PathVariable String profile, @PathVariable String id,
            @Signed SignedRequest request) {
        Account account = accounts.update(request, id);
        return ResponseEntity.ok().header(HttpHeaders.LOCATION, urls.account(profile, id)).body(resource(account));
    }

    @PostMapping("/acme/{profile}/acct/{id}/orders")
    ResponseEntity<Wire.OrderList> orders(@PathVariable String profile, @PathVariable String id,
            @RequestParam(required = false) @Nullable String cursor, @Signed SignedRequest request) {
        Orders.OrderPage page = orders.list(request, accounts.ownAccount(request, id), cursor);
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (page.next() != null) {
            response.header(HttpHeaders.LINK, "<" + page.next() + ">;rel=\"next\"");
        }
        return response.body(page.list());
    }

    @PostMapping("/acme/{profile}/key-change")
    ResponseEntity<Wire.AccountResource> keyChange(@PathVariable String profile, @Signed SignedRequest request) {
        Account account = accounts.changeKey(request);
        return ResponseEntity.ok().header(HttpHeaders.LOCATION, urls.account(profile, account.id()))
                .body(resource(account));
    }

    private Wire.AccountResource resource(Account account) {
        return new Wire.AccountResource(account.status(), account.contact(), account.tosAgreed(),
                urls.accountOrders(account.profile(), account.id()), Wire.time(account.createdAt()));
    }
}
