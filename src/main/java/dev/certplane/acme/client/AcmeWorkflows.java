package dev.certplane.acme.client;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.certplane.acme.client.internal.AcmeClientSettings;
import dev.certplane.acme.client.internal.ExecProgram;
import dev.certplane.acme.client.internal.Webroot;
import dev.certplane.acme.client.internal.WorkflowEngine;
import dev.certplane.acme.client.internal.store.DnsProviderStore;
import dev.certplane.acme.client.internal.store.IssuerStore;
import dev.certplane.acme.client.internal.store.IssuerStore.IssuerRow;
import dev.certplane.acme.client.internal.store.WorkflowStore;
import dev.certplane.acme.client.internal.store.WorkflowStore.StepRow;
import dev.certplane.acme.client.internal.store.WorkflowStore.WorkflowRow;
import dev.certplane.inventory.ManagedCertificate;
import dev.certplane.inventory.ManagedCertificates;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Workflows: one order at an external CA for a managed certificate's names, run step by step in the background
 * (see the engine), each step kept with its time and the CA's words.
 */
@Service
public class AcmeWorkflows {

    public static final List<String> CHALLENGES = List.of("dns-01", "http-01");

    private final WorkflowStore store;
    private final IssuerStore issuerRows;
    private final DnsProviderStore dnsProviderRows;
    private final AcmeIssuers issuers;
    private final DnsProviders dnsProviders;
    private final ManagedCertificates managedCertificates;
    private final AcmeClientSettings settings;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AcmeWorkflows(WorkflowStore store, IssuerStore issuerRows, DnsProviderStore dnsProviderRows, AcmeIssuers issuers, DnsProviders dnsProviders,
            ManagedCertificates managedCertificates, AcmeClientSettings settings, JsonMapper json,
            ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.issuerRows = issuerRows;
        this.dnsProviderRows = dnsProviderRows;
        this.issuers = issuers;
        this.dnsProviders = dnsProviders;
        this.managedCertificates = managedCertificates;
        this.settings = settings;
        this.json = json;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param challenge the challenge for every name ({@code dns-01} when left out); wildcards always use dns-01
     * @param challenges per name, overriding {@code challenge} (mixed challenges in one order)
     * @param http01Method how http-01 answers are published (the built-in responder when left out)
     */
    public record NewWorkflow(String issuerId, String managedCertificateId, @Nullable String challenge,
            @Nullable Map<String, String> challenges, @Nullable String dnsProviderId,
            @Nullable Http01Method http01Method) {
    }

    /** @param message the latest step's detail: what the CA or the DNS said last */
    /**
     * An order of our ACME server handed to an external CA (upstream delivery).
     *
     * @param csr the DER of the client's CSR, sent to the CA unchanged
     * @param reference the order it serves, {@code acme-order:<id>}; the result comes back as an
     *     {@link UpstreamCertificateIssued} or {@link UpstreamCertificateFailed} event naming it
     */
    public record UpstreamRequest(String issuerName, @Nullable String dnsProviderName, String challenge,
            List<String> names, byte[] csr, String reference) {
    }

    /**
     * @param managedCertificateId null for an upstream order, which serves an ACME server order instead
     * @param replaces the RFC 9773 identifier of the certificate this order renews
     * @param certificateId the RFC 9773 identifier of the certificate obtained
     * @param renewalWindowStart the CA's suggested renewal window for it (RFC 9773 4.2), if the CA offers one
     */
    public record AcmeWorkflow(String id, String issuerId, @Nullable String managedCertificateId,
            List<WorkflowTarget> identifiers,
            String state, String status, @Nullable String message, @Nullable String orderUrl, @Nullable Integer version,
            @Nullable String lastError, @Nullable String replaces, @Nullable String certificateId,
            @Nullable Instant renewalWindowStart, @Nullable Instant renewalWindowEnd, Instant createdAt,
            Instant updatedAt) {
    }

    public record WorkflowStep(int seq, Instant at, String step, String outcome, String detail) {
    }

    public record WorkflowDetail(AcmeWorkflow workflow, List<WorkflowStep> steps) {
    }

    /** @throws IllegalArgumentException naming what is wrong */
    @Transactional
    public AcmeWorkflow start(NewWorkflow input) {
        AcmeIssuer issuer = issuers.find(input.issuerId()).orElseThrow(
                () -> new IllegalArgumentException("issuerId '" + input.issuerId() + "' names no ACME issuer"));
        if (!issuer.status().equals("registered")) {
            throw new IllegalArgumentException("issuer '" + issuer.name() + "' has no registered account (" + issuer.status()
                    + (issuer.lastError() == null ? "" : ": " + issuer.lastError()) + ")");
        }
        ManagedCertificate certificate = managedCertificates.find(input.managedCertificateId()).orElseThrow(
                () -> new IllegalArgumentException("managedCertificateId '" + input.managedCertificateId()
                        + "' names no managed certificate"));
        String standard = input.challenge() == null ? "dns-01" : input.challenge();
        Map<String, String> chosen = input.challenges() == null ? Map.of() : input.challenges();
        for (String name : chosen.keySet()) {
            if (!certificate.names().contains(name)) {
                throw new IllegalArgumentException("challenges names " + name + ", which is not one of the managed"
                        + " certificate's names " + certificate.names());
            }
        }
        Map<String, String> types = new LinkedHashMap<>();
        for (String name : certificate.names()) {
            String type = chosen.getOrDefault(name, name.startsWith("*.") ? "dns-01" : standard);
            if (!CHALLENGES.contains(type)) {
                throw new IllegalArgumentException("challenge '" + type + "' for " + name + " is not one of " + CHALLENGES);
            }
            if (name.startsWith("*.") && !type.equals("dns-01")) {
                throw new IllegalArgumentException(name + " is a wildcard, which only dns-01 can prove (RFC 8555 7.1.3)");
            }
            types.put(name, type);
        }
        boolean anyHttp01 = types.containsValue("http-01");
        if (!anyHttp01 && input.http01Method() != null) {
            throw new IllegalArgumentException("http01Method is given, but no identifier uses http-01");
        }
        Http01Method http01 = anyHttp01 ? http01Method(input.http01Method()) : null;
        List<WorkflowTarget> targets = new ArrayList<>();
        types.forEach((name, type) -> targets.add(type.equals("http-01") ? new WorkflowTarget(name, type, http01)
                : new WorkflowTarget(name, type)));
        if (targets.stream().anyMatch(t -> t.challenge().equals("dns-01"))
                && (input.dnsProviderId() == null || !dnsProviders.exists(input.dnsProviderId()))) {
            throw new IllegalArgumentException("dns-01 needs dnsProviderId naming a DNS provider");
        }
        Instant now = clock.instant();
        String id = Ids.random();
        WorkflowRow row = new WorkflowRow(id, issuer.id(), certificate.id(), json.writeValueAsString(targets),
                input.dnsProviderId(), WorkflowEngine.NEW, "running", null, null, "[]", 0, now, null, null, null, null,
                store.lastCertificateId(certificate.id(), issuer.id()).orElse(null), null, null, null, now, now);
        store.insert(row);
        store.addStep(id, now, "created", "success", "order for " + targets.stream().map(t -> t.identifier() + " ("
                + t.challenge() + (t.http01() == null ? "" : " via " + t.http01().describe()) + ")").toList() + " at "
                + issuer.name());
        events.publishEvent(AuditRecord.of(clock, "acme-workflow.created", "acme-workflow:" + id, Outcome.SUCCESS,
                Map.of("issuer", issuer.id(), "managedCertificate", certificate.id(), "identifiers",
                        String.join(",", certificate.names()))));
        return view(row, lastDetail(store.steps(id)));
    }

    /**
     * Starts an upstream order for the names of the CSR.
     *
     * @return the workflow id
     * @throws IllegalArgumentException if the issuer or the DNS provider named does not exist or cannot be used
     */
    @Transactional
    public String startUpstream(UpstreamRequest request) {
        IssuerRow issuer = issuerRows.findByName(request.issuerName()).orElseThrow(() -> new IllegalArgumentException(
                "ACME issuer '" + request.issuerName() + "' does not exist"));
        if (issuer.accountUrl() == null) {
            throw new IllegalArgumentException("ACME issuer '" + issuer.name() + "' has no registered account ("
                    + issuer.status() + ")");
        }
        String dnsProviderId = null;
        if (request.challenge().equals("dns-01") || request.names().stream().anyMatch(n -> n.startsWith("*."))) {
            if (request.dnsProviderName() == null) {
                throw new IllegalArgumentException("dns-01 needs a DNS provider (upstream-dns-provider)");
            }
            dnsProviderId = dnsProviderRows.findByName(request.dnsProviderName()).map(DnsProviderStore.DnsProviderRow::id)
                    .orElseThrow(() -> new IllegalArgumentException("DNS provider '" + request.dnsProviderName()
                            + "' does not exist"));
        }
        if (request.challenge().equals("http-01") && settings.http01Port() == 0) {
            throw new IllegalArgumentException("http-01 needs the built-in responder: set certplane.acme.client.http01-port");
        }
        List<WorkflowTarget> targets = request.names().stream().map(n -> new WorkflowTarget(n,
                n.startsWith("*.") ? "dns-01" : request.challenge())).toList();
        Instant now = clock.instant();
        String id = Ids.random();
        store.insert(new WorkflowRow(id, issuer.id(), null, json.writeValueAsString(targets), dnsProviderId,
                WorkflowEngine.NEW, "running", null, null, "[]", 0, now, null, null,
                java.util.Base64.getEncoder().encodeToString(request.csr()), request.reference(), null, null, null, null,
                now, now));
        store.addStep(id, now, "created", "success", "upstream order for " + request.reference() + ": "
                + request.names() + " at " + issuer.name());
        events.publishEvent(AuditRecord.of(clock, "acme-workflow.created", "acme-workflow:" + id, Outcome.SUCCESS,
                Map.of("issuer", issuer.id(), "reference", request.reference(), "identifiers",
                        String.join(",", request.names()))));
        return id;
    }

    /** The http-01 method asked for, checked: the built-in responder unless another is named. */
    private Http01Method http01Method(@Nullable Http01Method asked) {
        Http01Method method = asked == null ? new Http01Method(Http01Method.RESPONDER, null, null) : asked;
        if (!Http01Method.TYPES.contains(method.type())) {
            throw new IllegalArgumentException("http01Method.type '" + method.type() + "' is not one of "
                    + Http01Method.TYPES);
        }
        if (method.webroot() != null && !method.type().equals(Http01Method.WEBROOT)) {
            throw new IllegalArgumentException("http01Method.webroot is only for type webroot, not " + method.type());
        }
        if (method.program() != null && !method.type().equals(Http01Method.EXEC)) {
            throw new IllegalArgumentException("http01Method.program is only for type exec, not " + method.type());
        }
        switch (method.type()) {
            case Http01Method.WEBROOT -> {
                if (method.webroot() == null || method.webroot().isBlank()) {
                    throw new IllegalArgumentException("http01Method webroot needs webroot: the web server's document"
                            + " root on this server, such as /var/www/html");
                }
                Webroot.check("http01Method.webroot", method.webroot().trim());
                return new Http01Method(method.type(), method.webroot().trim(), null);
            }
            case Http01Method.EXEC -> {
                if (method.program() == null || method.program().isBlank()) {
                    throw new IllegalArgumentException("http01Method exec needs program: the absolute path of the"
                            + " program to call with add|remove <token> <keyAuthorization> <domain>");
                }
                ExecProgram.check("http01Method.program", method.program().trim(), settings);
                return new Http01Method(method.type(), null, method.program().trim());
            }
            default -> {
                if (settings.http01Port() == 0) {
                    throw new IllegalArgumentException("http-01 through the built-in responder needs"
                            + " certplane.acme.client.http01-port; or choose http01Method webroot or exec");
                }
                return method;
            }
        }
    }

    public List<AcmeWorkflow> list(int limit) {
        List<WorkflowRow> rows = store.latest(Math.max(1, Math.min(limit, 500)));
        Map<String, String> messages = store.lastStepDetails(rows.stream().map(WorkflowRow::id).toList());
        return rows.stream().map(r -> view(r, messages.get(r.id()))).toList();
    }

    public Optional<WorkflowDetail> find(String id) {
        return store.find(id).map(row -> {
            List<StepRow> steps = store.steps(id);
            return new WorkflowDetail(view(row, lastDetail(steps)), steps.stream()
                    .map(s -> new WorkflowStep(s.seq(), s.at(), s.step(), s.outcome(), s.detail())).toList());
        });
    }

    private static @Nullable String lastDetail(List<StepRow> steps) {
        return steps.isEmpty() ? null : steps.get(steps.size() - 1).detail();
    }

    private AcmeWorkflow view(WorkflowRow row, @Nullable String message) {
        return new AcmeWorkflow(row.id(), row.issuerId(), row.managedCertificateId(),
                json.readValue(row.identifiers(), new TypeReference<List<WorkflowTarget>>() { }), row.state(),
                row.status(), message, row.orderUrl(),
                row.version(), row.lastError(), row.replaces(), row.ariCertificateId(), row.ariWindowStart(),
                row.ariWindowEnd(), row.createdAt(), row.updatedAt());
    }
}
