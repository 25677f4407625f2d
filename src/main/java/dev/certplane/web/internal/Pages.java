package dev.certplane.web.internal;

import java.time.Clock;

import dev.certplane.alerts.AlertState;
import dev.certplane.alerts.Alerts;
import dev.certplane.audit.AuditLog;
import dev.certplane.audit.AuditQuery;
import dev.certplane.inventory.Inventory;
import dev.certplane.inventory.InventoryStats;
import dev.certplane.security.OperatorPrincipal;
import dev.certplane.shared.Permissions;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The UI shell's own pages: login and the dashboard. Each panel of the dashboard is shown only to operators
 * holding the permission its API needs.
 */
@Controller
class Pages {

    private static final int RECENT = 10;

    private final Inventory inventory;
    private final Alerts alerts;
    private final AuditLog audit;
    private final Clock clock;

    Pages(Inventory inventory, Alerts alerts, AuditLog audit, Clock clock) {
        this.inventory = inventory;
        this.alerts = alerts;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }

    @GetMapping("/")
    String dashboard(@AuthenticationPrincipal OperatorPrincipal operator, Model model) {
        if (operator.permissions().contains(Permissions.CERTIFICATES_VIEW)) {
            InventoryStats stats = inventory.stats();
            model.addAttribute("stats", stats);
            model.addAttribute("health", Health.of(stats));
            model.addAttribute("timeline", ExpiryTimeline.of(inventory, clock.instant()));
            model.addAttribute("alerts", alerts.list(AlertState.OPEN, null, 0, RECENT));
        }
        if (operator.permissions().contains(Permissions.AUDIT_VIEW)) {
            model.addAttribute("events", audit.search(new AuditQuery(null, null, null, null, null, null, 0, RECENT)));
        }
        return "dashboard";
    }

    /**
     * The share of each status in per cent (for the distribution bar) and the health score: the share of
     * certificates that are neither expired nor revoked nor within the expiring thresholds.
     */
    record Health(int score, double valid, double expiringSoon, double expiring, double expired, double revoked) {

        static Health of(InventoryStats s) {
            if (s.total() == 0) {
                return new Health(100, 0, 0, 0, 0, 0);
            }
            double total = s.total();
            return new Health((int) Math.floor(100 * s.valid() / total), 100 * s.valid() / total,
                    100 * s.expiringSoon() / total, 100 * s.expiring() / total, 100 * s.expired() / total,
                    100 * s.revoked() / total);
        }
    }
}
