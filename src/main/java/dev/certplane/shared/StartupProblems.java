package dev.certplane.shared;

import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ApplicationListener;

/**
 * Turns the start-up failures an operator can fix into one readable statement instead of a stack-trace
 * wall: an unusable data directory, an unreachable database, and Certplane's own set-up errors (master
 * key, CA import), whose messages already say what to do.
 */
public final class StartupProblems {

    private StartupProblems() {
    }

    /** Raised before anything touches the data directory. */
    public static class DataDirectoryException extends RuntimeException {

        DataDirectoryException(String message) {
            super(message);
        }
    }

    /** Checks the data directory as soon as configuration is known, before the embedded store opens it. */
    public static class DataDirectoryCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            String configured = event.getEnvironment().getProperty("certplane.data-dir");
            if (configured == null) {
                return;
            }
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            try {
                Files.createDirectories(dir);
            } catch (Exception e) {
                throw new DataDirectoryException("the data directory " + dir + " cannot be created ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + "); set CERTPLANE_DATA_DIR to a writable directory");
            }
            if (!Files.isDirectory(dir) || !Files.isReadable(dir) || !Files.isWritable(dir)) {
                throw new DataDirectoryException("the data directory " + dir
                        + " is not a readable and writable directory; fix its permissions or set CERTPLANE_DATA_DIR");
            }
        }
    }

    /** Registered in {@code META-INF/spring.factories}. */
    public static class Analyzer implements FailureAnalyzer {

        @Override
        public FailureAnalysis analyze(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof ConnectException || isConnectionRefused(cause)) {
                    return new FailureAnalysis("Cannot connect to the database: " + cause.getMessage(),
                            "Check that the database server is running and spring.datasource.url (SPRING_DATASOURCE_URL) points at it.",
                            failure);
                }
                if (cause.getClass().getName().startsWith("dev.certplane.")) {
                    return new FailureAnalysis("Certplane cannot start: " + cause.getMessage(),
                            "Fix the setting or file named above and start again.", failure);
                }
            }
            return null;
        }

        private static boolean isConnectionRefused(Throwable cause) {
            return cause.getClass().getName().equals("org.postgresql.util.PSQLException")
                    && cause.getMessage() != null && cause.getMessage().contains("refused");
        }
    }
}
