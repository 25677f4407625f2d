package dev.certplane.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the unmodified ACME clients certbot and lego, as Debian packages them, against an ACME directory
 * over HTTPS that a private CA bundle vouches for: register, issue, renew, revoke.
 *
 * <p>The invocations work both against a server that hands out authorizations already {@code valid}
 * (with an empty {@code challenges} array: no solver is ever called) and against Pebble run with
 * {@code PEBBLE_VA_ALWAYS_VALID=1}, where a challenge must be answered but is never checked. By default
 * nothing listens and nothing leaves loopback: certbot answers through its {@code manual} plugin with hooks
 * that do nothing ({@code http-01} or {@code dns-01}, the latter for wildcards); lego writes {@code http-01}
 * answers into a webroot no one serves and {@code dns-01} answers through its {@code exec} provider with a
 * program that does nothing, its DNS propagation check pointed at a loopback resolver
 * ({@link Lego#withDnsResolver}). {@link Certbot#withHttp01Listener} and {@link Lego#withHttp01Listener}
 * instead answer {@code http-01} on a loopback port for a server that really validates.
 *
 * <p>Each client instance keeps its state (account, keys, certificates) under the directory it is given;
 * each run gets a directory of its own below it, holding the run's combined output. A run that exits
 * non-zero or outlives {@link #TIMEOUT} fails with an {@link AssertionError} carrying the full output
 * (certbot's debug log included, which records every request and response).
 */
public final class AcmeClients {

    public static final Duration TIMEOUT = Duration.ofSeconds(120);
    public static final String DEFAULT_EMAIL = "test@example.com";

    /** A hook or exec program that succeeds without doing anything; looked up on the PATH. */
    private static final String NO_OP = "true";
    private static final List<String> PROXY_VARIABLES = List.of("http_proxy", "https_proxy", "all_proxy",
            "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY");
    private static final int OUTPUT_LIMIT = 64 * 1024;

    private AcmeClients() {
    }

    /** One finished run of a client. */
    public record Run(List<String> command, int exitCode, String output) {

        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** The revocation reasons that both clients can send (certbot offers no others). */
    public enum RevocationReason {
        UNSPECIFIED(0, "unspecified"),
        KEY_COMPROMISE(1, "keycompromise"),
        AFFILIATION_CHANGED(3, "affiliationchanged"),
        SUPERSEDED(4, "superseded"),
        CESSATION_OF_OPERATION(5, "cessationofoperation");

        /** The RFC 5280 CRLReason code. */
        public final int code;
        final String certbotName;

        RevocationReason(int code, String certbotName) {
            this.code = code;
            this.certbotName = certbotName;
        }
    }

    /** External account binding credentials: the key identifier and the base64url MAC key. */
    public record Eab(String kid, String hmacKeyBase64Url) {

        public Eab {
            Objects.requireNonNull(kid);
            Objects.requireNonNull(hmacKeyBase64Url);
        }
    }

    public static Certbot certbot(String directoryUrl, Path caBundle, Path workDir) {
        return new Certbot(directoryUrl, caBundle, workDir, DEFAULT_EMAIL, null, 0);
    }

    public static Lego lego(String directoryUrl, Path caBundle, Path workDir) {
        return new Lego(directoryUrl, caBundle, workDir, DEFAULT_EMAIL, null, 0, null);
    }

    /** certbot, with its config, work and logs directories under one directory of the test's. */
    public static final class Certbot {

        private final String directoryUrl;
        private final Path caBundle;
        private final Path workDir;
        private final String email;
        private final Eab eab;
        private final int http01Port;
        private final AtomicInteger runs;

        private Certbot(String directoryUrl, Path caBundle, Path workDir, String email, Eab eab, int http01Port) {
            this(directoryUrl, caBundle, workDir, email, eab, http01Port, new AtomicInteger());
        }

        private Certbot(String directoryUrl, Path caBundle, Path workDir, String email, Eab eab, int http01Port,
                AtomicInteger runs) {
            this.directoryUrl = Objects.requireNonNull(directoryUrl);
            this.caBundle = caBundle.toAbsolutePath();
            this.workDir = workDir.toAbsolutePath();
            this.email = Objects.requireNonNull(email);
            this.eab = eab;
            this.http01Port = http01Port;
            this.runs = runs;
        }

        /** Registers with external account binding (certbot sends it only when it creates the account). */
        public Certbot withEab(Eab credentials) {
            return new Certbot(directoryUrl, caBundle, workDir, email, credentials, http01Port, runs);
        }

        public Certbot withEmail(String address) {
            return new Certbot(directoryUrl, caBundle, workDir, address, eab, http01Port, runs);
        }

        /**
         * Answers {@code http-01} with certbot's standalone server on {@code 127.0.0.1:port}, for a server that
         * really validates; such a run cannot answer {@code dns-01}, so a wildcard needs an already valid
         * authorization.
         */
        public Certbot withHttp01Listener(int port) {
            return new Certbot(directoryUrl, caBundle, workDir, email, eab, port, runs);
        }

        /** Registers the account if there is none yet, then asks for one certificate for all the names. */
        public Run certonly(String certName, List<String> domains) {
            List<String> args = new ArrayList<>(List.of("certonly", "--cert-name", certName));
            args.addAll(solverArguments());
            for (String domain : domains) {
                args.add("-d");
                args.add(domain);
            }
            return run(args);
        }

        /**
         * Renews now, whatever the expiry, as the scheduled {@code certbot renew} would (new key, new order),
         * with the solver options the lineage was issued with.
         */
        public Run renew(String certName) {
            return run(List.of("renew", "--cert-name", certName, "--force-renewal", "--no-random-sleep-on-renew"));
        }

        /** Revokes the lineage's current certificate, signed with the account key; keeps its files. */
        public Run revoke(String certName, RevocationReason reason) {
            return run(List.of("revoke", "--cert-name", certName, "--reason", reason.certbotName,
                    "--no-delete-after-revoke"));
        }

        /** Runs certbot with the given subcommand and options after the common ones; fails unless it exits 0. */
        public Run run(List<String> args) {
            return requireSuccess(attempt(args));
        }

        /** Runs certbot like {@link #run} but returns whatever the exit code, for runs that are meant to fail. */
        public Run attempt(List<String> args) {
            List<String> command = new ArrayList<>(List.of("certbot",
                    "--config-dir", workDir.resolve("config").toString(),
                    "--work-dir", workDir.resolve("work").toString(),
                    "--logs-dir", logsDir().toString(),
                    "--non-interactive", "--agree-tos", "-m", email, "--no-eff-email",
                    "--server", directoryUrl));
            if (eab != null) {
                command.addAll(List.of("--eab-kid", eab.kid(), "--eab-hmac-key", eab.hmacKeyBase64Url()));
            }
            command.addAll(args);
            return execute(command, Map.of("REQUESTS_CA_BUNDLE", caBundle.toString()), workDir,
                    runs.incrementAndGet(), args.isEmpty() ? "certbot" : args.get(0), logsDir().resolve("letsencrypt.log"));
        }

        private List<String> solverArguments() {
            if (http01Port > 0) {
                return List.of("--standalone", "--preferred-challenges", "http-01",
                        "--http-01-address", "127.0.0.1", "--http-01-port", Integer.toString(http01Port));
            }
            return List.of("--manual", "--preferred-challenges", "http-01,dns-01",
                    "--manual-auth-hook", NO_OP, "--manual-cleanup-hook", NO_OP);
        }

        private Path logsDir() {
            return workDir.resolve("logs");
        }

        private Path live(String certName) {
            return workDir.resolve("config").resolve("live").resolve(certName);
        }

        /** The lineage's current leaf certificate alone. */
        public Path certificate(String certName) {
            return live(certName).resolve("cert.pem");
        }

        public Path fullchain(String certName) {
            return live(certName).resolve("fullchain.pem");
        }

        public Path chain(String certName) {
            return live(certName).resolve("chain.pem");
        }

        public Path privateKey(String certName) {
            return live(certName).resolve("privkey.pem");
        }

        /** The lineage's current leaf certificate, parsed. */
        public X509Certificate issued(String certName) {
            return leaf(certificate(certName));
        }

        public Path workDir() {
            return workDir;
        }
    }

    /** lego, with its {@code --path} (accounts, certificates) under one directory of the test's. */
    public static final class Lego {

        private final String directoryUrl;
        private final Path caBundle;
        private final Path workDir;
        private final String email;
        private final Eab eab;
        private final int http01Port;
        private final String dnsResolver;
        private final AtomicInteger runs;

        private Lego(String directoryUrl, Path caBundle, Path workDir, String email, Eab eab, int http01Port,
                String dnsResolver) {
            this(directoryUrl, caBundle, workDir, email, eab, http01Port, dnsResolver, new AtomicInteger());
        }

        private Lego(String directoryUrl, Path caBundle, Path workDir, String email, Eab eab, int http01Port,
                String dnsResolver, AtomicInteger runs) {
            this.directoryUrl = Objects.requireNonNull(directoryUrl);
            this.caBundle = caBundle.toAbsolutePath();
            this.workDir = workDir.toAbsolutePath();
            this.email = Objects.requireNonNull(email);
            this.eab = eab;
            this.http01Port = http01Port;
            this.dnsResolver = dnsResolver;
            this.runs = runs;
        }

        /** Registers with external account binding (lego sends it only when it creates the account). */
        public Lego withEab(Eab credentials) {
            return new Lego(directoryUrl, caBundle, workDir, email, credentials, http01Port, dnsResolver, runs);
        }

        public Lego withEmail(String address) {
            return new Lego(directoryUrl, caBundle, workDir, address, eab, http01Port, dnsResolver, runs);
        }

        /** Answers {@code http-01} with lego's own server on {@code 127.0.0.1:port} instead of a webroot. */
        public Lego withHttp01Listener(int port) {
            return new Lego(directoryUrl, caBundle, workDir, email, eab, port, dnsResolver, runs);
        }

        /**
         * The loopback resolver ({@code host:port}) lego asks once for the TXT record after presenting a
         * {@code dns-01} answer; lego makes that one query even with {@code --dns.disable-cp}. By default a
         * loopback port where nothing listens, so a {@code dns-01} solve fails (after
         * {@code EXEC_PROPAGATION_TIMEOUT}) rather than reaching the network.
         */
        public Lego withDnsResolver(String hostAndPort) {
            return new Lego(directoryUrl, caBundle, workDir, email, eab, http01Port, hostAndPort, runs);
        }

        /** Registers the account if there is none yet, then asks for one certificate for all the names. */
        public Run run(List<String> domains) {
            return run(domains, List.of("run"));
        }

        /**
         * Renews now, whatever the expiry (a certificate counts as due when it has fewer than 9999 days
         * left), for the names of the certificate stored under {@code domains.get(0)}.
         */
        public Run renew(List<String> domains) {
            return run(domains, List.of("renew", "--days", "9999", "--no-random-sleep"));
        }

        /**
         * Revokes the certificate stored under {@code firstDomain}, signed with the account key; keeps its
         * files. (lego revokes one stored certificate per {@code --domains} value, so only the first is given.)
         */
        public Run revoke(String firstDomain, RevocationReason reason) {
            return run(List.of(firstDomain), List.of("revoke", "--reason", Integer.toString(reason.code), "--keep"));
        }

        /** Runs lego with the domains and the given command and its options; fails unless it exits 0. */
        public Run run(List<String> domains, List<String> commandAndOptions) {
            return requireSuccess(attempt(domains, commandAndOptions));
        }

        /** Runs lego like {@link #run(List, List)} but returns whatever the exit code. */
        public Run attempt(List<String> domains, List<String> commandAndOptions) {
            Path webroot = workDir.resolve("webroot");
            createDirectories(webroot); // lego refuses a webroot that does not exist
            List<String> command = new ArrayList<>(List.of("lego",
                    "--path", workDir.resolve("lego").toString(),
                    "--accept-tos", "--email", email, "--server", directoryUrl));
            if (eab != null) {
                command.addAll(List.of("--eab", "--kid", eab.kid(), "--hmac", eab.hmacKeyBase64Url()));
            }
            command.add("--http");
            if (http01Port > 0) {
                command.addAll(List.of("--http.port", "127.0.0.1:" + http01Port));
            } else {
                command.addAll(List.of("--http.webroot", webroot.toString()));
            }
            command.addAll(List.of("--dns", "exec", "--dns.disable-cp",
                    "--dns.resolvers", dnsResolver != null ? dnsResolver : "127.0.0.1:" + freeLoopbackUdpPort()));
            for (String domain : domains) {
                command.add("--domains");
                command.add(domain);
            }
            command.addAll(commandAndOptions);
            Map<String, String> env = Map.of(
                    "LEGO_CA_CERTIFICATES", caBundle.toString(),
                    "EXEC_PATH", NO_OP,
                    "EXEC_PROPAGATION_TIMEOUT", "10",
                    "EXEC_POLLING_INTERVAL", "1");
            return execute(command, env, workDir, runs.incrementAndGet(),
                    commandAndOptions.isEmpty() ? "lego" : commandAndOptions.get(0), null);
        }

        /** Where lego keeps the certificate (with its issuer appended) whose first name was {@code firstDomain}. */
        public Path certificate(String firstDomain) {
            return certificates().resolve(fileName(firstDomain) + ".crt");
        }

        public Path issuerCertificate(String firstDomain) {
            return certificates().resolve(fileName(firstDomain) + ".issuer.crt");
        }

        public Path privateKey(String firstDomain) {
            return certificates().resolve(fileName(firstDomain) + ".key");
        }

        /** The leaf certificate lego stored under {@code firstDomain}, parsed. */
        public X509Certificate issued(String firstDomain) {
            return leaf(certificate(firstDomain));
        }

        public Path workDir() {
            return workDir;
        }

        private Path certificates() {
            return workDir.resolve("lego").resolve("certificates");
        }

        /** lego's file name for a domain: a wildcard's {@code *} becomes {@code _}. */
        private static String fileName(String domain) {
            return domain.replace('*', '_');
        }
    }

    /** All certificates in a PEM file, in file order. */
    public static List<X509Certificate> readCertificates(Path pemFile) {
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(pemFile))) {
            Collection<? extends java.security.cert.Certificate> all =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> certificates = new ArrayList<>();
            for (java.security.cert.Certificate certificate : all) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new AssertionError("no certificate in " + pemFile);
            }
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new AssertionError("unreadable certificate in " + pemFile, e);
        }
    }

    /** The first certificate of a PEM file: the leaf, in the files both clients write. */
    public static X509Certificate leaf(Path pemFile) {
        return readCertificates(pemFile).get(0);
    }

    /** The DNS names of the certificate's subjectAltName extension, in certificate order. */
    public static List<String> dnsNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            List<String> dns = new ArrayList<>();
            if (names != null) {
                for (List<?> name : names) {
                    if (Integer.valueOf(2).equals(name.get(0))) {
                        dns.add((String) name.get(1));
                    }
                }
            }
            return dns;
        } catch (CertificateParsingException e) {
            throw new AssertionError("unreadable subjectAltName", e);
        }
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A UDP port on 127.0.0.1 that was free a moment ago. */
    public static int freeLoopbackUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Run requireSuccess(Run run) {
        if (!run.succeeded()) {
            throw new AssertionError(describe(run, "exited with " + run.exitCode()));
        }
        return run;
    }

    private static String describe(Run run, String what) {
        return String.join(" ", run.command()) + "\n" + what + "; its output:\n" + run.output();
    }

    /**
     * Runs one client process in a directory of its own under {@code workDir}, stdout and stderr together in
     * {@code output.log} there, stdin closed. The process inherits the environment less any proxy settings,
     * so its requests go straight to the (loopback) server.
     */
    private static Run execute(List<String> command, Map<String, String> env, Path workDir, int number, String verb,
            Path debugLog) {
        Path runDir;
        int attempt = number;
        do { // another client object on the same directory may have used the number
            runDir = workDir.resolve("runs").resolve(String.format(Locale.ROOT, "%02d-%s", attempt++, verb));
        } while (Files.exists(runDir));
        createDirectories(runDir);
        Path outputFile = runDir.resolve("output.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile()).redirectErrorStream(true)
                .redirectOutput(outputFile.toFile());
        PROXY_VARIABLES.forEach(builder.environment()::remove);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command.get(0) + " (is it installed?)", e);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                Run unfinished = new Run(List.copyOf(command), -1, output(outputFile, debugLog));
                throw new AssertionError(describe(unfinished, "did not finish within " + TIMEOUT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + command.get(0) + " ran", e);
        }
        int exitCode = process.exitValue();
        String output = exitCode == 0 ? read(outputFile) : output(outputFile, debugLog);
        return new Run(List.copyOf(command), exitCode, output);
    }

    /** The run's output, and for a failed certbot run its debug log (certbot starts a new one each run). */
    private static String output(Path outputFile, Path debugLog) {
        String output = read(outputFile);
        if (debugLog == null || !Files.exists(debugLog)) {
            return output;
        }
        String log = read(debugLog);
        if (log.length() > OUTPUT_LIMIT) {
            log = "[...]\n" + log.substring(log.length() - OUTPUT_LIMIT);
        }
        return output + "\n--- " + debugLog.getFileName() + " ---\n" + log;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
