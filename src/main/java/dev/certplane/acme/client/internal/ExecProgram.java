package dev.certplane.acme.client.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * An operator's program that publishes challenge answers ({@code exec} DNS providers and http-01 methods), run
 * directly with its arguments, never through a shell, so a value can never become a command. It must lie in one
 * of {@code certplane.acme.client.exec-directories}, checked when it is configured and again before every run. It
 * gets a minimal environment, never the server's own (which may hold the master key or the database password),
 * and no input; after {@link #TIMEOUT} it and its children are killed.
 */
public final class ExecProgram {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> ENVIRONMENT = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR");
    private static final int TAIL_LINES = 5;
    private static final int TAIL_BYTES = 4096;
    private static final int LINE_CHARS = 200;

    private final String program;
    private final List<Path> directories;
    private final Duration timeout;

    ExecProgram(String program, List<Path> directories, Duration timeout) {
        this.program = program;
        this.directories = List.copyOf(directories);
        this.timeout = timeout;
    }

    /**
     * Checks a program an operator names.
     *
     * @param field the request field, for the message
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static void check(String field, String program, AcmeClientSettings settings) {
        String problem = problem(program, settings.execPaths());
        if (problem != null) {
            throw new IllegalArgumentException(field + " '" + program + "' " + problem);
        }
    }

    /**
     * Runs the program with these arguments.
     *
     * @throws ExecException if it cannot run, exits with another code than 0 or runs out of time; the message
     *     gives the exit code and the last lines the program wrote
     */
    void run(String... arguments) throws ExecException {
        String problem = problem(program, directories);
        if (problem != null) {
            throw new ExecException(program + " " + problem);
        }
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(Arrays.asList(arguments));
        String call = program + " " + arguments[0];
        Path output = null;
        try {
            output = Files.createTempFile("certplane-exec", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().keySet().retainAll(ENVIRONMENT);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new ExecException(call + " did not finish within " + timeout.toSeconds() + " s and was killed"
                        + printed(tail(output)));
            }
            if (process.exitValue() != 0) {
                throw new ExecException(call + " exited with " + process.exitValue() + printed(tail(output)));
            }
        } catch (IOException e) {
            throw new ExecException(call + " could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecException(call + " was interrupted");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temporary file left behind harms nothing
                }
            }
        }
    }

    @Override
    public String toString() {
        return program;
    }

    private static @Nullable String problem(String program, List<Path> directories) {
        if (directories.isEmpty()) {
            return "cannot be run: exec is off (set certplane.acme.client.exec-directories to the directories"
                    + " holding the programs Certplane may run)";
        }
        Path path;
        try {
            path = Path.of(program);
        } catch (java.nio.file.InvalidPathException e) {
            return "is not a path: " + e.getReason();
        }
        if (!path.isAbsolute()) {
            return "must be an absolute path";
        }
        if (!Files.exists(path)) {
            return "does not exist on this server";
        }
        if (!Files.isRegularFile(path)) {
            return "is not a file";
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            return "cannot be resolved: " + e.getMessage();
        }
        boolean allowed = directories.stream().anyMatch(directory -> {
            try {
                return real.startsWith(directory.toRealPath());
            } catch (IOException e) {
                return false;
            }
        });
        if (!allowed) {
            return "is not inside certplane.acme.client.exec-directories " + directories;
        }
        if (!Files.isExecutable(real)) {
            return "is not executable by the Certplane process";
        }
        return null;
    }

    private static String printed(List<String> lines) {
        return lines.isEmpty() ? " and printed nothing" : "; its last output: " + String.join(" | ", lines);
    }

    /** The last lines of the output, read from its end only, so a program that prints a lot costs nothing. */
    private static List<String> tail(Path output) throws IOException {
        byte[] bytes;
        try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
            long start = Math.max(0, file.length() - TAIL_BYTES);
            bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
        }
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines()
                .map(line -> line.replaceAll("\\p{Cntrl}", " ").strip()).filter(line -> !line.isEmpty())
                .map(line -> line.length() > LINE_CHARS ? line.substring(0, LINE_CHARS) + "…" : line).toList();
        return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    }
}
