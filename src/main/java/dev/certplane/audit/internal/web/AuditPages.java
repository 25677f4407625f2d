package dev.certplane.audit.internal.web;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.certplane.audit.AuditEvent;
import dev.certplane.audit.AuditLog;
import dev.certplane.audit.AuditPage;
import dev.certplane.audit.AuditQuery;
import dev.certplane.shared.Permissions;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The audit trail in the UI: search by actor, action, target, outcome and time (times in UTC, as the browser's
 * date-time fields send them), CSV export of the same search, and the hash chain's verification on demand.
 */
@Controller
@PreAuthorize("hasAuthority('" + Permissions.AUDIT_VIEW + "')")
class AuditPages {

    static final int PAGE_SIZE = 50;
    private static final int EXPORT_BATCH = 500;
    private static final List<String> OUTCOMES = List.of("success", "failure", "denied");

    private final AuditLog audit;

    AuditPages(AuditLog audit) {
        this.audit = audit;
    }

    /** The search form, as typed; {@code from} and {@code to} are {@code yyyy-MM-ddTHH:mm} in UTC. */
    record AuditFilters(@Nullable String actor, @Nullable String action, @Nullable String target,
            @Nullable String outcome, @Nullable String from, @Nullable String to) {

        /** @throws IllegalArgumentException naming the bad field */
        AuditQuery query(int page, int size) {
            String o = blank(outcome);
            if (o != null && !OUTCOMES.contains(o.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("outcome must be one of " + String.join(", ", OUTCOMES));
            }
            Instant start = time(from, "from");
            Instant end = time(to, "to");
            if (start != null && end != null && !start.isBefore(end)) {
                throw new IllegalArgumentException("'from' must be before 'to'");
            }
            check(actor, "actor", 255);
            check(action, "action", 100);
            check(target, "target", 500);
            return new AuditQuery(blank(actor), blank(action), blank(target), o, start, end, page, size);
        }

        String queryString() {
            UriComponentsBuilder uri = UriComponentsBuilder.newInstance();
            Map.of("actor", actor == null ? "" : actor, "action", action == null ? "" : action,
                    "target", target == null ? "" : target, "outcome", outcome == null ? "" : outcome,
                    "from", from == null ? "" : from, "to", to == null ? "" : to).entrySet().stream()
                    .filter(e -> !e.getValue().isBlank()).sorted(Map.Entry.comparingByKey())
                    .forEach(e -> uri.queryParam(e.getKey(), e.getValue().strip()));
            String query = uri.encode().build().getQuery();
            return query == null ? "" : query;
        }

        private static @Nullable Instant time(@Nullable String text, String field) {
            if (blank(text) == null) {
                return null;
            }
            try {
                return LocalDateTime.parse(text.strip()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + field + "' must be a date and time such as 2026-01-31T13:45");
            }
        }

        private static void check(@Nullable String text, String field, int max) {
            if (text != null && text.length() > max) {
                throw new IllegalArgumentException(field + " must be at most " + max + " characters");
            }
        }

        private static @Nullable String blank(@Nullable String text) {
            return text == null || text.isBlank() ? null : text.strip();
        }
    }

    @GetMapping("/audit")
    String search(AuditFilters filters, @RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("filters", filters);
        model.addAttribute("outcomes", OUTCOMES);
        String query = filters.queryString();
        try {
            AuditPage found = audit.search(filters.query(Math.max(page, 0), PAGE_SIZE));
            model.addAttribute("found", found);
            String base = "/audit?" + query + (query.isEmpty() ? "" : "&");
            model.addAttribute("prevUrl", base + "page=" + Math.max(page - 1, 0));
            model.addAttribute("nextUrl", base + "page=" + (page + 1));
            model.addAttribute("exportUrl", "/audit/export" + (query.isEmpty() ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            model.addAttribute("filterError", e.getMessage());
        }
        return "audit/search";
    }

    /** The chain check walks every event, so the page asks for it separately (htmx, on load). */
    @GetMapping("/audit/verification")
    String verification(Model model) {
        model.addAttribute("verification", audit.verify());
        return "audit/search :: verification";
    }

    @GetMapping("/audit/export")
    ResponseEntity<StreamingResponseBody> export(AuditFilters filters) {
        try {
            filters.query(0, EXPORT_BATCH);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        StreamingResponseBody body = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write("seq,occurred_at,actor,source_ip,action,target,outcome,details,hash\r\n");
            for (int page = 0; ; page++) {
                AuditPage batch = audit.search(filters.query(page, EXPORT_BATCH));
                for (AuditEvent e : batch.items()) {
                    writer.write(csv(e));
                }
                if (batch.items().size() < EXPORT_BATCH) {
                    break;
                }
            }
            writer.flush();
        };
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv; charset=utf-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\"").body(body);
    }

    static String csv(AuditEvent e) {
        String details = e.details().entrySet().stream().map(d -> d.getKey() + "=" + d.getValue())
                .collect(Collectors.joining("; "));
        return String.join(",", List.of(String.valueOf(e.seq()), e.occurredAt().toString(), field(e.actor()),
                field(e.sourceIp()), field(e.action()), field(e.target()), field(e.outcome()), field(details),
                e.hash())) + "\r\n";
    }

    /** RFC 4180 quoting; a leading formula character is neutralised so spreadsheets do not run it (as the inventory's CSV). */
    private static String field(@Nullable String value) {
        String text = value == null ? "" : value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
