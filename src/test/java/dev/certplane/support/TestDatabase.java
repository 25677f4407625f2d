package dev.certplane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh store for one test application: an H2 file in a temporary data directory, or a new database on
 * the local PostgreSQL server. Which one comes from the system property {@code certplane.test.database},
 * set per failsafe execution so the whole integration suite runs on both.
 */
public final class TestDatabase {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

    private TestDatabase() {
    }

    public static boolean postgres() {
        return "postgresql".equals(System.getProperty("certplane.test.database", "h2"));
    }

    /** Properties for a new, empty installation: its own data directory and its own database. */
    public static Map<String, String> freshInstallation() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("certplane-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return forInstallation(dataDir, postgres() ? createPostgresDatabase() : null);
    }

    /** Properties for an existing installation (a restart): same data directory, same database. */
    public static Map<String, String> forInstallation(Path dataDir, String postgresDatabase) {
        if (postgresDatabase == null) {
            return Map.of("certplane.data-dir", dataDir.toString());
        }
        return Map.of("certplane.data-dir", dataDir.toString(),
                "spring.datasource.url", POSTGRES + postgresDatabase,
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "");
    }

    public static String createPostgresDatabase() {
        String name = "certplane_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "")) {
            c.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on the local PostgreSQL: " + e.getMessage(), e);
        }
        return name;
    }
}
