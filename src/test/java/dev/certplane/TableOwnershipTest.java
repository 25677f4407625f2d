package dev.certplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * One module owns each table (rule 2): a store only names tables with its module's prefix, and each
 * migration creates only tables of the module its file name names. Modulith's verification already keeps
 * other modules out of a module's {@code internal.store} package.
 */
class TableOwnershipTest {

    private static final Map<String, List<String>> PREFIXES = Map.ofEntries(
            Map.entry("secrets", List.of("secrets_")),
            Map.entry("audit", List.of("audit_")),
            Map.entry("ca", List.of("ca_")),
            Map.entry("tls", List.of("tls_")),
            Map.entry("security", List.of("security_")),
            Map.entry("acme", List.of("acme_")),
            Map.entry("inventory", List.of("inv_")),
            Map.entry("delivery", List.of("delivery_")),
            Map.entry("alerts", List.of("alert_")),
            Map.entry("probes", List.of("probe_")),
            Map.entry("renewal", List.of("renewal_")),
            Map.entry("jobs", List.of("scheduled_tasks", "event_publication")));
    private static final Pattern SQL_TABLE = Pattern.compile(
            "\\b(?:from|into|update|join|table)\\s+([a-z_][a-z0-9_]*)", Pattern.CASE_INSENSITIVE);
    private static final Path SOURCES = Path.of("src/main/java/dev/certplane");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    @Test
    void storesNameOnlyTheirModulesTables() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().contains("/internal/store/")).toList()) {
                String module = SOURCES.relativize(file).getName(0).toString();
                violations.addAll(foreignTables(module, Files.readString(file), file.toString()));
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void eachMigrationTouchesOnlyTheModuleItIsNamedFor() throws IOException {
        Pattern name = Pattern.compile("V\\d+__([a-z]+)_.*\\.sql");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.toList()) {
                Matcher m = name.matcher(file.getFileName().toString());
                assertThat(m.matches()).as(file + " is named V<n>__<module>_<what>.sql").isTrue();
                assertThat(PREFIXES).as("module of " + file).containsKey(m.group(1));
                violations.addAll(foreignTables(m.group(1), Files.readString(file), file.toString()));
            }
        }
        assertThat(violations).isEmpty();
    }

    private static List<String> foreignTables(String module, String text, String where) {
        List<String> found = new ArrayList<>();
        Matcher m = SQL_TABLE.matcher(text.replaceAll("--[^\n]*", "").replaceAll("(?s)/\\*.*?\\*/", ""));
        while (m.find()) {
            String table = m.group(1).toLowerCase(Locale.ROOT);
            if (List.of("if", "exists", "set", "the", "a", "each", "with").contains(table)) {
                continue;
            }
            if (PREFIXES.getOrDefault(module, List.of()).stream().noneMatch(table::startsWith)) {
                found.add(where + " names table " + table + " outside module " + module);
            }
        }
        return found;
    }
}
