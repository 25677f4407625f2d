package dev.certplane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Debian's aiosmtpd, an RFC 5321 server, run by a test on a free loopback port: its {@code Mailbox} handler stores
 * each accepted message in a Maildir under the test's directory, which {@link #messages} reads back. Started
 * {@linkplain #plain plain}, with {@linkplain #starttls STARTTLS} (RFC 3207; it then refuses MAIL with 530 until the
 * client has started TLS) or with {@linkplain #smtps TLS from the first byte}; {@link #close} stops it by its PID.
 * Once TLS is on it offers AUTH PLAIN and LOGIN, but the command line gives it no authenticator, so it refuses every
 * credential with 535.
 */
public final class Aiosmtpd implements AutoCloseable {

    public static final Duration STARTUP = Duration.ofSeconds(20);
    /** Debian's interpreter: the one with the module (a {@code python3} earlier on the PATH may lack it). */
    private static final String PYTHON = "/usr/bin/python3";

    /** An accepted message as stored: the envelope aiosmtpd records in X-MailFrom and X-RcptTo, and the data. */
    public record Message(String mailFrom, List<String> rcptTo, Map<String, String> headers, String body) {

        /** The body, decoded when it is base64. */
        public String text() {
            if ("base64".equalsIgnoreCase(headers.get("content-transfer-encoding"))) {
                return new String(Base64.getMimeDecoder().decode(body), StandardCharsets.UTF_8);
            }
            return body;
        }

        /** Parses a stored message: header fields (names lower-case, folded lines joined), a blank line, the body. */
        static Message parse(String stored) {
            String text = stored.replace("\r\n", "\n");
            int end = text.indexOf("\n\n");
            String head = end < 0 ? text : text.substring(0, end);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : head.replaceAll("\n[ \t]+", " ").split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            List<String> rcptTo = Arrays.stream(headers.getOrDefault("x-rcptto", "").split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
            return new Message(headers.getOrDefault("x-mailfrom", ""), rcptTo, Map.copyOf(headers),
                    end < 0 ? "" : text.substring(end + 2));
        }
    }

    private final Path dir;
    private final Path maildir;
    private final int port;
    private final Process process;

    private Aiosmtpd(Path dir, List<String> tlsOptions) {
        this.dir = dir.toAbsolutePath();
        this.maildir = this.dir.resolve("Maildir");
        this.port = AcmeClients.freeLoopbackPort();
        try {
            // The Mailbox handler creates a Maildir only where nothing is yet, so the test makes it whole.
            for (String sub : List.of("new", "cur", "tmp")) {
                Files.createDirectories(maildir.resolve(sub));
            }
            List<String> command = new ArrayList<>(List.of(PYTHON, "-m", "aiosmtpd", "-n", "-l", host() + ":" + port,
                    "-c", "aiosmtpd.handlers.Mailbox"));
            command.addAll(tlsOptions);
            command.add(maildir.toString());
            ProcessBuilder builder = new ProcessBuilder(command).directory(this.dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(this.dir.resolve("aiosmtpd.out").toFile());
            builder.environment().put("PYTHONUNBUFFERED", "1");
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new AssertionError("cannot start aiosmtpd (is python3-aiosmtpd installed?)", e);
        }
        awaitListening();
    }

    /** Plain SMTP, no STARTTLS offered. */
    public static Aiosmtpd plain(Path dir) {
        return new Aiosmtpd(dir, List.of());
    }

    /**
     * Offers STARTTLS with this certificate chain and key (PEM files) and requires it: MAIL before STARTTLS is
     * answered 530.
     */
    public static Aiosmtpd starttls(Path dir, Path chain, Path key) {
        return new Aiosmtpd(dir, List.of("--tlscert", chain.toAbsolutePath().toString(), "--tlskey",
                key.toAbsolutePath().toString()));
    }

    /** SMTPS: TLS from the first byte with this certificate chain and key (PEM files). */
    public static Aiosmtpd smtps(Path dir, Path chain, Path key) {
        return new Aiosmtpd(dir, List.of("--smtpscert", chain.toAbsolutePath().toString(), "--smtpskey",
                key.toAbsolutePath().toString()));
    }

    public String host() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    public int port() {
        return port;
    }

    /** The messages delivered so far, oldest first (Maildir {@code new/}, which a message enters whole). */
    public List<Message> messages() {
        try (Stream<Path> files = Files.list(maildir.resolve("new"))) {
            List<Path> sorted = files.sorted((a, b) -> Long.compare(modified(a), modified(b))).toList();
            List<Message> messages = new ArrayList<>();
            for (Path file : sorted) {
                messages.add(Message.parse(Files.readString(file, StandardCharsets.UTF_8)));
            }
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's console output, for failure messages. */
    public String log() {
        try {
            Path out = dir.resolve("aiosmtpd.out");
            return Files.exists(out) ? Files.readString(out) : "";
        } catch (IOException e) {
            return "(cannot read aiosmtpd.out)";
        }
    }

    /** Stops this aiosmtpd by its PID: TERM, then KILL after 10 s. */
    @Override
    public void close() {
        ServerProcesses.stop(process);
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!ServerProcesses.accepts(port)) {
            if (!process.isAlive()) {
                throw new AssertionError("aiosmtpd exited with " + process.exitValue() + ":\n" + log());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new AssertionError("aiosmtpd did not listen on " + port + " within " + STARTUP + ":\n" + log());
            }
            ServerProcesses.pause(50);
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
