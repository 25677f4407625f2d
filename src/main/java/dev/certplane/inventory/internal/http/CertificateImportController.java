package dev.certplane.inventory.internal.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.certplane.inventory.CertificateImports;
import dev.certplane.inventory.CertificateImports.ImportReport;
import dev.certplane.inventory.CertificateImports.UploadedFile;
import dev.certplane.inventory.CertificateLabels;
import dev.certplane.inventory.Ownership;
import dev.certplane.inventory.StoredCertificate;
import dev.certplane.shared.Permissions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;

/**
 * Certificate files into the inventory, and an operator's owner, organization and tags on a certificate. Upload
 * sizes are limited by {@code spring.servlet.multipart}; a file over the limit is answered 413 by the API problem
 * advice.
 */
@RestController
@Tag(name = "Certificates")
class CertificateImportController {

    private final CertificateImports imports;
    private final CertificateLabels labels;

    CertificateImportController(CertificateImports imports, CertificateLabels labels) {
        this.imports = imports;
        this.labels = labels;
    }

    /** Absent (or null) fields stay as they are; a blank text or an empty list clears the field. */
    record OwnershipInput(@Nullable String owner, @Nullable String organization, @Nullable List<@NotNull String> tags) {
    }

    // No "consumes": a request of another type then gets this handler's precise problem, not a bare 415.
    @PostMapping("/api/certificates/import")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Import certificate files (PEM, DER, PKCS#7, PKCS#12, JKS, JCEKS), each a multipart part "
            + "named 'file'; password opens PKCS#12 and JKS files; organization, owner and comma-separated tags are set "
            + "on every certificate the import adds. 200 with a report per file and entry when at least one file was "
            + "read, otherwise 400 with the report")
    ImportReport importFiles(@RequestParam(name = "file", required = false) @Nullable List<MultipartFile> file,
            @RequestParam(required = false) @Nullable String password,
            @RequestParam(required = false) @Nullable String organization,
            @RequestParam(required = false) @Nullable String owner,
            @RequestParam(required = false) @Nullable List<String> tags) {
        if (file == null || file.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "the request has no file; send each file as a multipart/form-data part named 'file'");
        }
        List<UploadedFile> uploads = new ArrayList<>();
        for (MultipartFile part : file) {
            try {
                uploads.add(new UploadedFile(part.getOriginalFilename(), part.getBytes()));
            } catch (IOException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "the upload of a file was interrupted");
            }
        }
        Ownership ownership = new Ownership(owner, organization, tags == null ? List.of()
                : tags.stream().map(String::strip).filter(tag -> !tag.isEmpty()).toList());
        char[] secret = password == null ? null : password.toCharArray();
        ImportReport report;
        try {
            report = imports.importFiles(uploads, secret, ownership);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
        if (report.nothingRead()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "no file could be imported: "
                    + report.results().stream().map(CertificateImports.EntryResult::error)
                            .collect(Collectors.joining("; ")));
            problem.setProperty("report", report);
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
        }
        return report;
    }

    @PatchMapping("/api/certificates/{id}")
    @PreAuthorize("hasAuthority('" + Permissions.CERTIFICATES_MANAGE + "')")
    @Operation(summary = "Set a certificate's owner, organization and tags; absent fields stay, blank or empty ones clear")
    StoredCertificate update(@PathVariable String id, @Valid @RequestBody OwnershipInput input) {
        try {
            return labels.update(id, input.owner(), input.organization(), input.tags())
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "there is no certificate " + id));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }
}
