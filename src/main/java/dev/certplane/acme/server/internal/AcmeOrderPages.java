package dev.certplane.acme.server.internal;

import java.util.List;

import dev.certplane.shared.Permissions;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/** The ACME server's orders (with each one's timeline) and accounts in the UI, newest first. */
@Controller
@PreAuthorize("hasAuthority('" + Permissions.ACME_MANAGE + "')")
class AcmeOrderPages {

    /** Enough to see what happens now; older orders are in the audit trail. */
    static final int LISTED = 200;

    private final Orders orders;
    private final Accounts accounts;

    AcmeOrderPages(Orders orders, Accounts accounts) {
        this.orders = orders;
        this.accounts = accounts;
    }

    @GetMapping("/acme-server/orders")
    String orders(Model model) {
        model.addAttribute("orders", orders.newest(LISTED));
        model.addAttribute("limit", LISTED);
        return "acme/orders";
    }

    @GetMapping("/acme-server/orders/{id}")
    String order(@PathVariable String id, Model model) {
        model.addAttribute("detail", orders.timeline(id).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no ACME order '" + id + "'")));
        return "acme/order";
    }

    @GetMapping("/acme-server/accounts")
    String accounts(Model model) {
        List<Accounts.AccountSummary> newest = accounts.newest(LISTED);
        model.addAttribute("accounts", newest);
        model.addAttribute("orderCounts", orders.countByAccount(newest.stream().map(Accounts.AccountSummary::id).toList()));
        model.addAttribute("limit", LISTED);
        return "acme/accounts";
    }
}
