package dev.certplane.inventory.internal.web;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.certplane.inventory.CertificateImports;
import dev.certplane.inventory.CertificateImports.ImportReport;
import dev.certplane.inventory.CertificateImports.UploadedFile;
import dev.certplane.inventory.CertificateQuery;
import dev.certplane.inventory.Inventory;
import dev.certplane.inventory.InventoryPage;
import dev.certplane.inventory.Ownership;
import dev.certplane.inventory.StoredCertificate;
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
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The inventory pages: search with filters, a detail panel, PEM downloads, CSV export of the current filter and
 * import of certificate files. An htmx request gets only the part of the page it replaces.
 */
@Controller
@PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_VIEW + "')")
class InventoryPages {

    static final int PAGE_SIZE = 25;

    private final Inventory inventory;
    private final CertificateImports imports;

    InventoryPages(Inventory inventory, CertificateImports imports) {
        this.inventory = inventory;
        this.imports = imports;
    }

    @GetMapping("/certificates")
    String list(InventoryFilters filters, @RequestParam(defaultValue = "0") int page,
            @RequestHeader(name = "HX-Request", required = false) @Nullable String htmx, Model model) {
        model.addAttribute("filters", filters);
        model.addAttribute("checked", filters.checked());
        model.addAttribute("sources", CertificateQuery.SOURCES);
        try {
            InventoryPage<StoredCertificate> found = inventory.search(filters.query(), Math.max(page, 0), PAGE_SIZE);
            model.addAttribute("found", found);
            model.addAttribute("prevUrl", "/certificates" + filters.queryString(Math.max(page - 1, 0)));
            model.addAttribute("nextUrl", "/certificates" + filters.queryString(page + 1));
            model.addAttribute("exportUrl", "/certificates/export" + filters.queryString(0));
        } catch (IllegalArgumentException e) {
            model.addAttribute("filterError", e.getMessage());
        }
        return htmx != null ? "inventory/list :: results" : "inventory/list";
    }

    @GetMapping("/certificates/{id}")
    String detail(@PathVariable String id, @RequestHeader(name = "HX-Request", required = false) @Nullable String htmx,
            Model model) {
        List<StoredCertificate> chain = inventory.chain(id);
        if (chain.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no certificate " + id);
        }
        model.addAttribute("c", chain.get(0));
        model.addAttribute("chain", chain);
        model.addAttribute("sources", inventory.sources(id));
        model.addAttribute("endpoints", inventory.endpoints(id));
        return htmx != null ? "inventory/detail :: panel" : "inventory/detail";
    }

    @GetMapping(path = "/certificates/{id}/pem")
    ResponseEntity<String> pem(@PathVariable String id) {
        StoredCertificate certificate = inventory.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no certificate " + id));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-pem-file"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + ".pem\"")
                .body(certificate.pem());
    }

    @GetMapping(path = "/certificates/export")
    ResponseEntity<StreamingResponseBody> export(InventoryFilters filters) {
        CertificateQuery query;
        try {
            query = filters.query();
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        StreamingResponseBody body = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            inventory.exportCsv(query, writer);
        };
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv; charset=utf-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"certificates.csv\"").body(body);
    }

    @GetMapping("/certificates/import")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String importForm() {
        return "inventory/import";
    }

    @PostMapping("/certificates/import")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    String importFiles(@RequestParam(name = "file", required = false) @Nullable List<MultipartFile> file,
            @RequestParam(required = false) @Nullable String password,
            @RequestParam(required = false) @Nullable String organization,
            @RequestParam(required = false) @Nullable String owner,
            @RequestParam(required = false) @Nullable String tags, Model model) {
        model.addAttribute("organization", organization);
        model.addAttribute("owner", owner);
        model.addAttribute("tags", tags);
        List<UploadedFile> uploads = new ArrayList<>();
        for (MultipartFile part : file == null ? List.<MultipartFile>of() : file) {
            if (part.isEmpty() && (part.getOriginalFilename() == null || part.getOriginalFilename().isEmpty())) {
                continue;
            }
            try {
                uploads.add(new UploadedFile(part.getOriginalFilename(), part.getBytes()));
            } catch (IOException e) {
                model.addAttribute("error", "the upload of " + part.getOriginalFilename() + " was interrupted");
                return "inventory/import";
            }
        }
        if (uploads.isEmpty()) {
            model.addAttribute("error", "choose at least one certificate file");
            return "inventory/import";
        }
        Ownership ownership = new Ownership(owner, organization, tags == null ? List.of()
                : Arrays.stream(tags.split(",")).map(String::strip).filter(tag -> !tag.isEmpty()).toList());
        char[] secret = password == null || password.isEmpty() ? null : password.toCharArray();
        try {
            ImportReport report = imports.importFiles(uploads, secret, ownership);
            model.addAttribute("report", report);
        } catch (IllegalArgumentException e) {
            model.addAttribute("error", e.getMessage());
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
        return "inventory/import";
    }
}
