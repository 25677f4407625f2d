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

    private static final Map<String, List<String>> PREFIXES = Map.of(
            "secrets", List.of("secrets_"),
            "audit", List.of("audit_"),
            "ca", List.of("ca_"),
            "tls", List.of("tls_"),
            "security", List.of("security_"),
            "acme", List.of("acme_"),
            "inventory", List.of("inv_"),
            "delivery", List.of("delivery_"),
            "alerts", List.of("alert_"),
            "jobs", List.of("scheduled_tasks", "event_publication"));
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
