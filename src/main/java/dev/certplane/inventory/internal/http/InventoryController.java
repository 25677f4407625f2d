package dev.certplane.inventory.internal.http;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.certplane.inventory.CertificateQuery;
import dev.certplane.inventory.CertificateStatus;
import dev.certplane.inventory.Endpoint;
import dev.certplane.inventory.Inventory;
import dev.certplane.inventory.InventoryPage;
import dev.certplane.inventory.InventoryStats;
import dev.certplane.inventory.SecurityRating;
import dev.certplane.inventory.StoredCertificate;
import dev.certplane.pki.Pem;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The certificate inventory over the operator API: search, detail, downloads, dashboard counts, CSV. */
@RestController
@Tag(name = "Certificates")
@PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
class InventoryController {

    private final Inventory inventory;

    InventoryController(Inventory inventory) {
        this.inventory = inventory;
    }

    record CertificateSummary(String id, String subjectCommonName, String issuerCommonName, List<String> names,
            String serial, String fingerprintSha256, Instant notBefore, Instant notAfter, String status, String rating,
            boolean ca, String keyAlgorithm, int keyBits, String source, @Nullable String organization, boolean stale) {
    }

    record ChainLink(String id, String subjectCommonName, String fingerprintSha256, boolean ca, boolean selfIssued) {
    }

    record CertificateDetail(StoredCertificate certificate, List<ChainLink> chain, boolean chainComplete,
            List<String> sources, List<Endpoint> endpoints) {
    }

    record PageView(List<CertificateSummary> items, long total, int page, int size, int pages) {
    }

    /**
     * The search shared by the list and the export, bound from the query string.
     *
     * @param status one or more statuses, repeated or comma-separated
     */
    record Filters(@Nullable String q, @Nullable List<String> status, @Nullable String organization,
            @Nullable Boolean leafOnly, @Nullable String issuer, @Nullable String source,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant expiresBefore,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant expiresAfter, @Nullable String sort,
            @Nullable String order) {

        CertificateQuery query() {
            String direction = order == null ? "asc" : order;
            if (!direction.equals("asc") && !direction.equals("desc")) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "order must be asc or desc");
            }
            return badRequestOn(() -> {
                Set<CertificateStatus> statuses = EnumSet.noneOf(CertificateStatus.class);
                for (String entry : status == null ? List.<String>of() : status) {
                    for (String part : entry.split(",")) {
                        if (!part.isBlank()) {
                            statuses.add(CertificateStatus.parse(part));
                        }
                    }
                }
                return new CertificateQuery(q, statuses, blankToNull(organization), Boolean.TRUE.equals(leafOnly),
                        blankToNull(issuer), blankToNull(source), expiresBefore, expiresAfter,
                        sort == null ? "notAfter" : sort, direction.equals("desc"));
            });
        }
    }

    @GetMapping("/api/certificates")
    @Operation(summary = "Search the inventory: q (name, domain, CN, organization, fingerprint or serial prefix), "
            + "filters, sort, page")
    PageView list(@ParameterObject Filters filters, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        CertificateQuery query = filters.query();
        InventoryPage<StoredCertificate> found = badRequestOn(() -> inventory.search(query, page, size));
        int pages = (int) Math.min(Integer.MAX_VALUE, (found.total() + size - 1) / size);
        return new PageView(found.items().stream().map(InventoryController::summary).toList(), found.total(),
                found.page(), found.size(), pages);
    }

    @GetMapping("/api/certificates/stats")
    @Operation(summary = "Dashboard counts: total, valid, expiring soon, expiring, expired, revoked, hosts with expiring")
    InventoryStats stats() {
        return inventory.stats();
    }

    @GetMapping(path = "/api/certificates/export", produces = "text/csv")
    @Operation(summary = "Every certificate matching the same filters as the list, as streamed CSV (RFC 4180)")
    ResponseEntity<StreamingResponseBody> export(@ParameterObject Filters filters) {
        CertificateQuery query = filters.query();
        StreamingResponseBody body = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            inventory.exportCsv(query, writer);
        };
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv; charset=utf-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"certificates.csv\"").body(body);
    }

    @GetMapping("/api/certificates/{id}")
    @Operation(summary = "One certificate with every parsed field, its chain, sources and endpoints")
    CertificateDetail get(@PathVariable String id) {
        List<StoredCertificate> chain = inventory.chain(id);
        if (chain.isEmpty()) {
            throw notFound(id);
        }
        boolean complete = chain.stream().noneMatch(c -> c.ratingReasons().stream()
                .anyMatch(reason -> reason.startsWith(SecurityRating.INCOMPLETE_CHAIN)));
        return new CertificateDetail(chain.get(0), chain.stream().map(c -> new ChainLink(c.id(), c.subjectCommonName(),
                c.fingerprintSha256(), c.ca(), c.selfIssued())).toList(), complete, inventory.sources(id),
                inventory.endpoints(id));
    }

    @GetMapping(path = "/api/certificates/{id}/pem", produces = "application/x-pem-file")
    @Operation(summary = "The certificate as PEM")
    ResponseEntity<String> pem(@PathVariable String id) {
        StoredCertificate certificate = inventory.find(id).orElseThrow(() -> notFound(id));
        return download(certificate.pem(), "application/x-pem-file", id + ".pem");
    }

    @GetMapping(path = "/api/certificates/{id}/chain", produces = "application/pem-certificate-chain")
    @Operation(summary = "The certificate and the issuers the inventory has, as PEM")
    ResponseEntity<String> chain(@PathVariable String id) {
        List<StoredCertificate> chain = inventory.chain(id);
        if (chain.isEmpty()) {
            throw notFound(id);
        }
        return download(chain.stream().map(StoredCertificate::pem).reduce("", String::concat),
                "application/pem-certificate-chain", id + "-chain.pem");
    }

    @GetMapping(path = "/api/certificates/{id}/der", produces = "application/pkix-cert")
    @Operation(summary = "The certificate as DER")
    ResponseEntity<byte[]> der(@PathVariable String id) {
        StoredCertificate certificate = inventory.find(id).orElseThrow(() -> notFound(id));
        byte[] der;
        try {
            der = Pem.decodeCertificate(certificate.pem()).getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("stored certificate " + id + " cannot be encoded", e);
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/pkix-cert"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + ".der\"").body(der);
    }

    private static ResponseEntity<String> download(String body, String type, String filename) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(type))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"").body(body);
    }

    private static CertificateSummary summary(StoredCertificate c) {
        return new CertificateSummary(c.id(), c.subjectCommonName(), c.issuerCommonName(), c.names(), c.serial(),
                c.fingerprintSha256(), c.notBefore(), c.notAfter(), c.status().wire(), c.rating(), c.ca(),
                c.keyAlgorithm(), c.keyBits(), c.source(), c.organization(), c.stale());
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no certificate " + id);
    }

    private static <T> T badRequestOn(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }
}
