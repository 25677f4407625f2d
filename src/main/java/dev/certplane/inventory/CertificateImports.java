package dev.certplane.inventory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.certplane.inventory.internal.store.ImportStore;
import dev.certplane.pki.CertificateBundle;
import dev.certplane.pki.CertificateBundle.BundleEntry;
import dev.certplane.pki.CertificateFacts;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.PkiException;
import dev.certplane.shared.AuditRecord;
import dev.certplane.shared.Ids;
import dev.certplane.shared.Outcome;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports certificate files an operator uploads (see {@link CertificateBundle} for the formats) into the
 * inventory, under the source {@code import:<id>}. Each file is recorded in a transaction of its own, so a file
 * that fails leaves the others imported; the report says what happened to every entry of every file.
 */
@Service
public class CertificateImports {

    public static final String ADDED = "added";
    public static final String DUPLICATE = "duplicate";
    public static final String FAILED = "failed";

    private static final Logger log = LoggerFactory.getLogger(CertificateImports.class);
    private static final int MAX_FILE_NAME = 200;

    private final Inventory inventory;
    private final ImportStore store;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    CertificateImports(Inventory inventory, ImportStore store, PlatformTransactionManager transactions,
            ApplicationEventPublisher events, Clock clock) {
        this.inventory = inventory;
        this.store = store;
        this.transaction = new TransactionTemplate(transactions);
        this.events = events;
        this.clock = clock;
    }

    /** One uploaded file; {@code name} is the client's file name, used only in the report. */
    public record UploadedFile(@Nullable String name, byte[] content) {
    }

    /**
     * What happened to one entry of a file, or to the whole file when it could not be read ({@code entry} null).
     *
     * @param outcome {@link #ADDED}, {@link #DUPLICATE} (the inventory had it already) or {@link #FAILED}
     * @param privateKey whether the entry came with its private key, which is now stored sealed
     */
    public record EntryResult(String file, @Nullable String entry, String outcome, @Nullable String certificateId,
            @Nullable String subject, @Nullable String fingerprintSha256, boolean privateKey, @Nullable String error) {
    }

    /**
     * @param entries how many entries the files held, failed ones included
     * @param results one line per entry, and one per file that could not be read
     */
    public record ImportReport(String importId, int files, int entries, int added, int duplicates, int failed,
            List<EntryResult> results) {

        public ImportReport {
            results = List.copyOf(results);
        }

        /** Whether no file could be read at all. */
        public boolean nothingRead() {
            return added + duplicates == 0;
        }
    }

    /**
     * Reads every file and records its certificates; {@code ownership} is applied to each certificate the import
     * adds (not to ones the inventory had already).
     *
     * @param password for PKCS#12 and JKS files; the caller may clear it afterwards
     * @throws IllegalArgumentException if {@code ownership} is invalid, before anything is read
     */
    public ImportReport importFiles(List<UploadedFile> files, char @Nullable [] password, Ownership ownership) {
        Ownership labels = ownership.checked();
        String importId = Ids.random();
        String source = "import:" + importId;
        List<EntryResult> results = new ArrayList<>();
        int number = 0;
        for (UploadedFile file : files) {
            results.addAll(importFile(displayName(file.name(), ++number), file.content(), password, labels, source));
        }
        int added = count(results, ADDED);
        int duplicates = count(results, DUPLICATE);
        int failed = count(results, FAILED);
        ImportReport report = new ImportReport(importId, files.size(),
                (int) results.stream().filter(r -> r.entry() != null).count(), added, duplicates, failed, results);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("files", String.valueOf(files.size()));
        details.put("added", String.valueOf(added));
        details.put("duplicates", String.valueOf(duplicates));
        details.put("failed", String.valueOf(failed));
        if (labels.organization() != null) {
            details.put("organization", labels.organization());
        }
        transaction.executeWithoutResult(status -> events.publishEvent(AuditRecord.of(clock, "certificate.import",
                source, failed == 0 ? Outcome.SUCCESS : Outcome.FAILURE, details)));
        return report;
    }

    private List<EntryResult> importFile(String name, byte[] content, char @Nullable [] password, Ownership labels,
            String source) {
        List<BundleEntry> entries;
        try {
            entries = CertificateBundle.read(name, content, password);
        } catch (PkiException e) {
            return List.of(failure(name, null, e.getMessage()));
        }
        List<EntryResult> results = new ArrayList<>();
        List<BundleEntry> readable = new ArrayList<>();
        for (BundleEntry entry : entries) {
            // Metadata parsing is stricter than the JDK's certificate parser; a certificate it refuses fails alone.
            try {
                entry.chain().forEach(CertificateFacts::of);
                readable.add(entry);
            } catch (PkiException e) {
                results.add(failure(name, entry.entryName(), "'" + name + "': " + entry.entryName() + ": "
                        + e.getMessage()));
            }
        }
        if (readable.isEmpty()) {
            return results;
        }
        try {
            results.addAll(0, transaction.execute(status -> record(name, readable, labels, source)));
        } catch (RuntimeException e) {
            String reference = UUID.randomUUID().toString();
            log.error("import of file '{}' failed, reference {}", name, reference, e);
            for (BundleEntry entry : readable) {
                results.add(failure(name, entry.entryName(), "'" + name + "' could not be recorded; reference "
                        + reference + " in the server log"));
            }
        }
        return results;
    }

    private List<EntryResult> record(String name, List<BundleEntry> entries, Ownership labels, String source) {
        List<EntryResult> results = new ArrayList<>();
        Instant now = clock.instant();
        for (BundleEntry entry : entries) {
            Set<String> unknown = new HashSet<>();
            for (X509Certificate certificate : entry.chain()) {
                String fingerprint = Certificates.sha256Fingerprint(certificate);
                if (inventory.findByFingerprint(fingerprint).isEmpty()) {
                    unknown.add(fingerprint);
                }
            }
            Inventory.Recorded recorded = inventory.record(entry.chain(), "imported", source, entry.key());
            if (!labels.isEmpty()) {
                for (String fingerprint : unknown) {
                    inventory.findByFingerprint(fingerprint)
                            .ifPresent(added -> store.updateOwnership(added.id(), labels, now));
                }
            }
            StoredCertificate certificate = recorded.certificate();
            results.add(new EntryResult(name, entry.entryName(), recorded.added() ? ADDED : DUPLICATE, certificate.id(),
                    certificate.subject(), certificate.fingerprintSha256(), entry.key() != null, null));
        }
        return results;
    }

    private static EntryResult failure(String file, @Nullable String entry, String error) {
        return new EntryResult(file, entry, FAILED, null, null, null, false, error);
    }

    private static int count(List<EntryResult> results, String outcome) {
        return (int) results.stream().filter(r -> r.outcome().equals(outcome)).count();
    }

    /** The client's file name without directories or control characters, short enough to quote in messages. */
    static String displayName(@Nullable String name, int number) {
        String base = name == null ? "" : name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder clean = new StringBuilder();
        base.codePoints().filter(c -> !Character.isISOControl(c)).forEach(clean::appendCodePoint);
        String text = clean.toString().strip();
        if (text.isEmpty()) {
            return "file " + number;
        }
        return text.length() > MAX_FILE_NAME ? text.substring(0, MAX_FILE_NAME) + "…" : text;
    }
}
