package dev.certplane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx, run by a test: its own prefix directory, configuration and pid file under a directory of the
 * test's, TLS servers on loopback ports, in the foreground ({@code daemon off}) so the process this class starts is
 * the master; {@link #reload} as an operator (or a certbot deploy hook) reloads it, and {@link #close} stops it by its
 * PID. Each site answers {@code 200 ok}.
 */
public final class NginxServer implements AutoCloseable {

    public static final Duration STARTUP = Duration.ofSeconds(20);

    /**
     * One TLS server block.
     *
     * @param serverName the name it answers to, or {@code null} for a catch-all
     * @param certificate the PEM file nginx sends (leaf first, then what else it should send)
     * @param staplingFile a DER OCSP response to staple, or {@code null}
     */
    public record Site(int port, String serverName, Path certificate, Path key, Path staplingFile) {

        public static Site of(int port, Path certificate, Path key) {
            return new Site(port, null, certificate, key, null);
        }
    }

    private final Path dir;
    private final Path config;
    private final List<Site> sites;
    private final Process process;

    private NginxServer(Path dir, List<Site> sites) {
        this.dir = dir.toAbsolutePath();
        this.config = this.dir.resolve("nginx.conf");
        this.sites = List.copyOf(sites);
        try {
            Files.createDirectories(this.dir.resolve("tmp"));
            Files.writeString(config, configuration(), StandardCharsets.UTF_8);
            process = new ProcessBuilder("nginx", "-p", this.dir.toString(), "-c", config.toString())
                    .directory(this.dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(this.dir.resolve("nginx.out").toFile()).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new AssertionError("cannot start nginx (is it installed?)", e);
        }
        awaitListening();
    }

    /** Starts nginx with these sites and returns once every port accepts connections. */
    public static NginxServer start(Path dir, List<Site> sites) {
        return new NginxServer(dir, sites);
    }

    /** What reloads this nginx from a shell, as a certbot deploy hook would run it. */
    public String reloadCommand() {
        return "nginx -p " + dir + " -c " + config + " -s reload";
    }

    /**
     * Reloads the configuration and the certificate files ({@code nginx -s reload}, a HUP to the master). It returns
     * when the signal is sent; the new workers take over a moment later.
     */
    public void reload() {
        try {
            Process reload = new ProcessBuilder("sh", "-c", reloadCommand()).redirectErrorStream(true).start();
            reload.getOutputStream().close();
            String output = new String(reload.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!reload.waitFor(20, TimeUnit.SECONDS) || reload.exitValue() != 0) {
                throw new AssertionError("nginx -s reload failed: " + output + "\n" + log());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while reloading nginx", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The error log and console output, for failure messages. */
    public String log() {
        StringBuilder log = new StringBuilder();
        for (String file : List.of("error.log", "nginx.out")) {
            Path path = dir.resolve(file);
            try {
                if (Files.exists(path)) {
                    log.append("--- ").append(file).append(" ---\n").append(Files.readString(path));
                }
            } catch (IOException e) {
                log.append("(cannot read ").append(file).append(")");
            }
        }
        return log.toString();
    }

    /** Stops this nginx by its PID: TERM (fast shutdown), then KILL after 10 s. */
    @Override
    public void close() {
        ServerProcesses.stop(process);
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        for (Site site : sites) {
            while (!ServerProcesses.accepts(site.port())) {
                if (!process.isAlive()) {
                    throw new AssertionError("nginx exited with " + process.exitValue() + ":\n" + log());
                }
                if (System.nanoTime() > deadline) {
                    close();
                    throw new AssertionError("nginx did not listen on " + site.port() + " within " + STARTUP + ":\n"
                            + log());
                }
                ServerProcesses.pause(50);
            }
        }
    }

    private String configuration() {
        List<String> lines = new ArrayList<>(List.of(
                "daemon off;",
                "master_process on;",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " warn;",
                "events { worker_connections 512; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("tmp") + ";",
                "  proxy_temp_path " + dir.resolve("tmp") + ";",
                "  fastcgi_temp_path " + dir.resolve("tmp") + ";",
                "  uwsgi_temp_path " + dir.resolve("tmp") + ";",
                "  scgi_temp_path " + dir.resolve("tmp") + ";",
                "  ssl_protocols TLSv1.2 TLSv1.3;"));
        for (Site site : sites) {
            lines.add("  server {");
            lines.add("    listen 127.0.0.1:" + site.port() + " ssl;");
            lines.add("    server_name " + (site.serverName() == null ? "_" : site.serverName()) + ";");
            lines.add("    ssl_certificate " + site.certificate().toAbsolutePath() + ";");
            lines.add("    ssl_certificate_key " + site.key().toAbsolutePath() + ";");
            if (site.staplingFile() != null) {
                lines.add("    ssl_stapling on;");
                lines.add("    ssl_stapling_file " + site.staplingFile().toAbsolutePath() + ";");
            }
            lines.add("    return 200 \"ok\\n\";");
            lines.add("  }");
        }
        lines.add("}");
        return String.join("\n", lines) + "\n";
    }
}
