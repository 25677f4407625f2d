package dev.certplane.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's HAProxy, run by a test: a configuration under a directory of the test's, one TLS frontend on a loopback
 * port answering {@code 200 ok} itself, in the foreground ({@code -db}) so the process this class starts is HAProxy;
 * {@link #close} stops it by its PID.
 */
public final class HaproxyServer implements AutoCloseable {

    public static final Duration STARTUP = Duration.ofSeconds(20);

    private final Path dir;
    private final Process process;

    /** @param pem the certificate, its chain and its private key in one file, as HAProxy's {@code crt} takes them */
    private HaproxyServer(Path dir, int port, Path pem) {
        this.dir = dir.toAbsolutePath();
        Path config = this.dir.resolve("haproxy.cfg");
        try {
            Files.createDirectories(this.dir);
            Files.writeString(config, String.join("\n",
                    "global",
                    "  maxconn 256",
                    "defaults",
                    "  mode http",
                    "  timeout connect 5s",
                    "  timeout client 5s",
                    "  timeout server 5s",
                    "frontend tls",
                    "  bind 127.0.0.1:" + port + " ssl crt " + pem.toAbsolutePath(),
                    "  http-request return status 200 content-type text/plain string ok",
                    ""), StandardCharsets.UTF_8);
            process = new ProcessBuilder("haproxy", "-db", "-f", config.toString()).directory(this.dir.toFile())
                    .redirectErrorStream(true).redirectOutput(this.dir.resolve("haproxy.out").toFile()).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new AssertionError("cannot start haproxy (is it installed?)", e);
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!ServerProcesses.accepts(port)) {
            if (!process.isAlive()) {
                throw new AssertionError("haproxy exited with " + process.exitValue() + ":\n" + log());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new AssertionError("haproxy did not listen on " + port + " within " + STARTUP + ":\n" + log());
            }
            ServerProcesses.pause(50);
        }
    }

    public static HaproxyServer start(Path dir, int port, Path pem) {
        return new HaproxyServer(dir, port, pem);
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("haproxy.out"));
        } catch (IOException e) {
            return "(no haproxy output)";
        }
    }

    /** Stops HAProxy by its PID: TERM, then KILL after 10 s. */
    @Override
    public void close() {
        ServerProcesses.stop(process);
    }
}
