package dev.certplane.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
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

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Runs the unmodified ACME clients certbot, lego, dehydrated, uacme and Caddy, as Debian packages them,
 * against an ACME directory over HTTPS that a private CA bundle vouches for: register, issue, renew, revoke
 * (Caddy: obtain and serve).
 *
 * <p>The certbot and lego invocations work both against a server that hands out authorizations already {@code valid}
 * (with an empty {@code challenges} array: no solver is ever called) and against Pebble run with
 * {@code PEBBLE_VA_ALWAYS_VALID=1}, where a challenge must be answered but is never checked. By default
 * nothing listens and nothing leaves loopback: certbot answers through its {@code manual} plugin with hooks
 * that do nothing ({@code http-01} or {@code dns-01}, the latter for wildcards); lego writes {@code http-01}
 * answers into a webroot no one serves and {@code dns-01} answers through its {@code exec} provider with a
 * program that does nothing, its DNS propagation check pointed at a loopback port where nothing listens.
 * For a server that really validates, {@link Certbot#withHttp01Listener} and {@link Lego#withHttp01Listener}
 * answer {@code http-01} on a loopback port, {@link Lego#withTlsAlpn01Listener} {@code tls-alpn-01}, and
 * {@link Lego#withRfc2136} {@code dns-01} through a real DNS server's dynamic updates. dehydrated, uacme
 * and Caddy are driven for a server whose authorizations are already valid (see each class).
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
        return new Lego(directoryUrl, caBundle, workDir, DEFAULT_EMAIL, null, null);
    }

    public static Dehydrated dehydrated(String directoryUrl, Path caBundle, Path workDir) {
        return new Dehydrated(directoryUrl, caBundle, workDir, DEFAULT_EMAIL, null);
    }

    public static Uacme uacme(String directoryUrl, Path caBundle, Path workDir) {
        return new Uacme(directoryUrl, caBundle, workDir, DEFAULT_EMAIL);
    }

    /** Caddy, not yet started; {@link Caddy#serve} starts it for one site. */
    public static Caddy caddy(String directoryUrl, Path caBundle, Path workDir) {
        return new Caddy(directoryUrl, caBundle, workDir, DEFAULT_EMAIL, null);
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
                command.addAll(List.of("--eab-kid=" + eab.kid(), "--eab-hmac-key=" + eab.hmacKeyBase64Url()));
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

        /** How lego answers challenges: the options and environment each run gets. */
        private record Solver(List<String> options, Map<String, String> environment) {
        }

        private final String directoryUrl;
        private final Path caBundle;
        private final Path workDir;
        private final String email;
        private final Eab eab;
        private final Solver solver;
        private final AtomicInteger runs;
        /** lego's {@code --cert.timeout} in seconds, 0 for its default (30). */
        private final int certificateTimeout;

        private Lego(String directoryUrl, Path caBundle, Path workDir, String email, Eab eab, Solver solver) {
            this(directoryUrl, caBundle, workDir, email, eab, solver, new AtomicInteger(), 0);
        }

        private Lego(String directoryUrl, Path caBundle, Path workDir, String email, Eab eab, Solver solver,
                AtomicInteger runs, int certificateTimeout) {
            this.certificateTimeout = certificateTimeout;
            this.directoryUrl = Objects.requireNonNull(directoryUrl);
            this.caBundle = caBundle.toAbsolutePath();
            this.workDir = workDir.toAbsolutePath();
            this.email = Objects.requireNonNull(email);
            this.eab = eab;
            this.solver = solver;
            this.runs = runs;
        }

        /** Registers with external account binding (lego sends it only when it creates the account). */
        public Lego withEab(Eab credentials) {
            return new Lego(directoryUrl, caBundle, workDir, email, credentials, solver, runs, certificateTimeout);
        }

        public Lego withEmail(String address) {
            return new Lego(directoryUrl, caBundle, workDir, address, eab, solver, runs, certificateTimeout);
        }

        /**
         * Waits up to {@code seconds} for an order that is processing after finalize to become valid (lego's
         * {@code --cert.timeout}; its default of 30 seconds is too short for an order held for approval).
         */
        public Lego withCertificateTimeout(int seconds) {
            return new Lego(directoryUrl, caBundle, workDir, email, eab, solver, runs, seconds);
        }

        /** Answers only {@code http-01}, with lego's own server on {@code 127.0.0.1:port}. */
        public Lego withHttp01Listener(int port) {
            return withSolver(new Solver(List.of("--http", "--http.port", "127.0.0.1:" + port), Map.of()));
        }

        /** Answers only {@code tls-alpn-01}, with lego's own TLS server on {@code 127.0.0.1:port}. */
        public Lego withTlsAlpn01Listener(int port) {
            return withSolver(new Solver(List.of("--tls", "--tls.port", "127.0.0.1:" + port), Map.of()));
        }

        /**
         * Answers only {@code dns-01}, publishing the TXT records through lego's {@code rfc2136} provider (dynamic
         * updates signed with TSIG) on {@code nameserver}, which is also the only resolver lego asks. Its
         * propagation check is off: it would look for the zone's nameservers on port 53.
         */
        public Lego withRfc2136(String nameserver, String tsigKey, String tsigAlgorithm, String tsigSecret) {
            return withSolver(new Solver(List.of("--dns", "rfc2136", "--dns.disable-cp", "--dns.resolvers", nameserver),
                    Map.of("RFC2136_NAMESERVER", nameserver,
                            "RFC2136_TSIG_KEY", tsigKey,
                            "RFC2136_TSIG_ALGORITHM", tsigAlgorithm + ".",
                            "RFC2136_TSIG_SECRET", tsigSecret,
                            "RFC2136_PROPAGATION_TIMEOUT", "30",
                            "RFC2136_POLLING_INTERVAL", "1",
                            "RFC2136_SEQUENCE_INTERVAL", "1")));
        }

        private Lego withSolver(Solver chosen) {
            return new Lego(directoryUrl, caBundle, workDir, email, eab, chosen, runs, certificateTimeout);
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
                command.addAll(List.of("--eab", "--kid=" + eab.kid(), "--hmac=" + eab.hmacKeyBase64Url()));
            }
            if (certificateTimeout > 0) {
                command.addAll(List.of("--cert.timeout", Integer.toString(certificateTimeout)));
            }
            if (solver != null) {
                command.addAll(solver.options());
            } else {
                command.addAll(List.of("--http", "--http.webroot", webroot.toString()));
                command.addAll(List.of("--dns", "exec", "--dns.disable-cp",
                        "--dns.resolvers", "127.0.0.1:" + freeLoopbackUdpPort()));
            }
            for (String domain : domains) {
                command.add("--domains");
                command.add(domain);
            }
            command.addAll(commandAndOptions);
            Map<String, String> env = new java.util.HashMap<>(Map.of(
                    "LEGO_CA_CERTIFICATES", caBundle.toString(),
                    "EXEC_PATH", NO_OP,
                    "EXEC_PROPAGATION_TIMEOUT", "10",
                    "EXEC_POLLING_INTERVAL", "1"));
            if (solver != null) {
                env.putAll(solver.environment());
            }
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

    /**
     * dehydrated, with its {@code BASEDIR} (account, certificates, chain cache) and its config file under one
     * directory of the test's. dehydrated has no CA bundle option of its own: it runs curl with the config's
     * {@code CURL_OPTS}, which name the bundle with {@code --cacert}. Each certificate is kept under a name of
     * the test's ({@code --alias}, which dehydrated requires for a wildcard); {@code http-01} answers go to a
     * {@code WELLKNOWN} directory no one serves, and a wildcard is ordered with {@code dns-01} through a hook
     * that does nothing.
     */
    public static final class Dehydrated {

        private final String directoryUrl;
        private final Path caBundle;
        private final Path workDir;
        private final String email;
        private final Eab eab;
        private final AtomicInteger runs = new AtomicInteger();

        private Dehydrated(String directoryUrl, Path caBundle, Path workDir, String email, Eab eab) {
            this.directoryUrl = Objects.requireNonNull(directoryUrl);
            this.caBundle = caBundle.toAbsolutePath();
            this.workDir = workDir.toAbsolutePath();
            this.email = Objects.requireNonNull(email);
            this.eab = eab;
        }

        /** The same client registering with external account binding ({@code EAB_KID}, {@code EAB_HMAC_KEY}). */
        public Dehydrated withEab(Eab credentials) {
            return new Dehydrated(directoryUrl, caBundle, workDir, email, credentials);
        }

        /** Creates the account key and registers it, agreeing to the terms of service. */
        public Run register() {
            return run(List.of("--register", "--accept-terms"));
        }

        /** Asks for one certificate for all the names (the first is its subject), kept as {@code certName}. */
        public Run issue(String certName, List<String> domains) {
            return run(signArguments(certName, domains, false));
        }

        /** Orders a new certificate for the names now, whatever the expiry (a new key, a new order). */
        public Run renew(String certName, List<String> domains) {
            return run(signArguments(certName, domains, true));
        }

        /** Revokes the current certificate of {@code certName}, signed with the account key (no reason code). */
        public Run revoke(String certName) {
            return run(List.of("--revoke", certificate(certName).toString()));
        }

        /** Runs dehydrated with the given options after {@code --config}; fails unless it exits 0. */
        public Run run(List<String> args) {
            return requireSuccess(attempt(args));
        }

        /** Runs dehydrated like {@link #run} but returns whatever the exit code. */
        public Run attempt(List<String> args) {
            Path config = writeConfig();
            List<String> command = new ArrayList<>(List.of("dehydrated", "--config", config.toString()));
            command.addAll(args);
            String verb = args.isEmpty() ? "dehydrated" : args.get(0).replaceFirst("^--", "");
            return execute(command, Map.of(), workDir, runs.incrementAndGet(), verb, null);
        }

        private List<String> signArguments(String certName, List<String> domains, boolean force) {
            List<String> args = new ArrayList<>(List.of("--cron", "--accept-terms", "--alias", certName));
            if (force) {
                args.add("--force");
            }
            if (domains.stream().anyMatch(d -> d.startsWith("*."))) {
                args.addAll(List.of("--challenge", "dns-01", "--hook", NO_OP));
            } else {
                args.addAll(List.of("--challenge", "http-01"));
            }
            for (String domain : domains) {
                args.add("--domain");
                args.add(domain);
            }
            return args;
        }

        private Path writeConfig() {
            Path wellKnown = workDir.resolve("wellknown");
            createDirectories(wellKnown); // dehydrated refuses a WELLKNOWN that does not exist
            Path config = workDir.resolve("config");
            write(config, String.join("\n",
                    "CA=\"" + directoryUrl + "\"",
                    "BASEDIR=\"" + workDir + "\"",
                    "WELLKNOWN=\"" + wellKnown + "\"",
                    "CURL_OPTS=\"--cacert " + caBundle + "\"",
                    "CONTACT_EMAIL=\"" + email + "\"",
                    "KEYSIZE=\"2048\"", // the account key's size: 4096 bits take seconds of the shared CPUs
                    eab == null ? "" : "EAB_KID=\"" + eab.kid() + "\"\nEAB_HMAC_KEY=\"" + eab.hmacKeyBase64Url() + "\"",
                    ""));
            return config;
        }

        private Path certDir(String certName) {
            return workDir.resolve("certs").resolve(certName);
        }

        /** The current leaf certificate alone (a link to the newest {@code cert-<time>.pem}). */
        public Path certificate(String certName) {
            return certDir(certName).resolve("cert.pem");
        }

        public Path fullchain(String certName) {
            return certDir(certName).resolve("fullchain.pem");
        }

        public Path chain(String certName) {
            return certDir(certName).resolve("chain.pem");
        }

        public Path privateKey(String certName) {
            return certDir(certName).resolve("privkey.pem");
        }

        /** The current leaf certificate, parsed. */
        public X509Certificate issued(String certName) {
            return leaf(certificate(certName));
        }

        public Path workDir() {
            return workDir;
        }
    }

    /**
     * uacme, with its configuration directory (account key, certificate keys and certificates) under one
     * directory of the test's; every run verbose ({@code -v}), with EC certificate keys ({@code -t EC}).
     *
     * <p>uacme 1.7.4 (Debian 12) cannot be given a CA bundle: its libcurl trusts only the system bundle
     * ({@code UACME_CAINFO} arrived in 1.7.6, and is set too). So each run happens in a private mount namespace
     * ({@code unshare --mount}, which needs root, as the test machines run) in which a directory holding only
     * the test's bundle, as {@code ca-certificates.crt}, is bind-mounted over {@code /etc/ssl/certs}; nothing
     * outside that process sees the change, and it ends with the process. uacme answers challenges only
     * through a hook, so these runs need a server whose authorizations are already valid.
     */
    public static final class Uacme {

        private static final String SYSTEM_CERTS = "/etc/ssl/certs";

        private final String directoryUrl;
        private final Path caBundle;
        private final Path workDir;
        private final String email;
        private final AtomicInteger runs = new AtomicInteger();

        private Uacme(String directoryUrl, Path caBundle, Path workDir, String email) {
            this.directoryUrl = Objects.requireNonNull(directoryUrl);
            this.caBundle = caBundle.toAbsolutePath();
            this.workDir = workDir.toAbsolutePath();
            this.email = Objects.requireNonNull(email);
        }

        /** Creates the account key and registers it, agreeing to the terms of service ({@code -y}). */
        public Run register() {
            return run(List.of("-y", "new", email));
        }

        /** Asks for one certificate for all the names; uacme keeps it under the first, less any {@code *.}. */
        public Run issue(List<String> domains) {
            List<String> args = new ArrayList<>(List.of("-t", "EC", "issue"));
            args.addAll(domains);
            return run(args);
        }

        /** Orders a new certificate for the names now, whatever the expiry ({@code -f}). */
        public Run renew(List<String> domains) {
            List<String> args = new ArrayList<>(List.of("-f", "-t", "EC", "issue"));
            args.addAll(domains);
            return run(args);
        }

        /**
         * Revokes the certificate kept under {@code firstDomain}, signed with the account key; uacme then
         * renames the file to {@code revoked-<time>.pem}.
         */
        public Run revoke(String firstDomain, RevocationReason reason) {
            return run(List.of("-r", Integer.toString(reason.code), "revoke", certificate(firstDomain).toString()));
        }

        /** Runs uacme with the given options and command; fails unless it exits 0 (1 means "not reissued"). */
        public Run run(List<String> args) {
            return requireSuccess(attempt(args));
        }

        /** Runs uacme like {@link #run} but returns whatever the exit code. */
        public Run attempt(List<String> args) {
            Path trust = workDir.resolve("trust");
            createDirectories(trust);
            copy(caBundle, trust.resolve("ca-certificates.crt"));
            List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                    "sh", "-c", "mount --bind \"$0\" " + SYSTEM_CERTS + " && exec \"$@\"", trust.toString(),
                    "uacme", "-v", "-c", workDir.resolve("uacme").toString(), "-a", directoryUrl));
            command.addAll(args);
            String verb = args.stream().filter(a -> List.of("new", "issue", "revoke").contains(a)).findFirst()
                    .orElse("uacme");
            return execute(command, Map.of("UACME_CAINFO", caBundle.toString()), workDir, runs.incrementAndGet(),
                    verb, null);
        }

        /** Where uacme keeps the certificate (with its chain) whose first name was {@code firstDomain}. */
        public Path certificate(String firstDomain) {
            String dir = firstDomain.startsWith("*.") ? firstDomain.substring(2) : firstDomain;
            return workDir.resolve("uacme").resolve(dir).resolve("cert.pem");
        }

        public Path privateKey(String firstDomain) {
            String dir = firstDomain.startsWith("*.") ? firstDomain.substring(2) : firstDomain;
            return workDir.resolve("uacme").resolve("private").resolve(dir).resolve("key.pem");
        }

        /** The leaf certificate uacme keeps under {@code firstDomain}, parsed. */
        public X509Certificate issued(String firstDomain) {
            return leaf(certificate(firstDomain));
        }

        public Path workDir() {
            return workDir;
        }
    }

    /** What a TLS client saw from a site: the chain it was served and the body of {@code GET /}. */
    public record ServedSite(List<X509Certificate> chain, String body) {

        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    /**
     * Caddy serving one site on loopback, with a certificate it obtains by itself from the directory: the
     * global {@code acme_ca} and {@code acme_ca_root} options (so the directory's CA is its only issuer), a
     * free loopback HTTPS port, no HTTP listener ({@code auto_https disable_redirects}), HTTP/1.1 and 2 only,
     * no admin endpoint, and its storage, logs and autosaved config under the test's directory. The site
     * answers {@code GET /} with {@link #BODY}.
     */
    public static final class Caddy implements AutoCloseable {

        public static final String BODY = "served by caddy";
        public static final Duration STARTUP = Duration.ofSeconds(60);

        private final String directoryUrl;
        private final Path caBundle;
        private final Path workDir;
        private final String email;
        private final Eab eab;
        private final int fixedHttpPort;
        private final int fixedHttpsPort;
        private Process process;
        private String site;
        private int httpsPort;

        private Caddy(String directoryUrl, Path caBundle, Path workDir, String email, Eab eab) {
            this(directoryUrl, caBundle, workDir, email, eab, 0, 0);
        }

        private Caddy(String directoryUrl, Path caBundle, Path workDir, String email, Eab eab, int httpPort,
                int httpsPort) {
            this.directoryUrl = Objects.requireNonNull(directoryUrl);
            this.caBundle = caBundle.toAbsolutePath();
            this.workDir = workDir.toAbsolutePath();
            this.email = Objects.requireNonNull(email);
            this.eab = eab;
            this.fixedHttpPort = httpPort;
            this.fixedHttpsPort = httpsPort;
        }

        /** The same server registering with external account binding (the {@code acme_eab} global option). */
        public Caddy withEab(Eab credentials) {
            return new Caddy(directoryUrl, caBundle, workDir, email, credentials, fixedHttpPort, fixedHttpsPort);
        }

        /**
         * The same server listening on these ports instead of free ones, so that it can answer {@code http-01} and
         * {@code tls-alpn-01} itself where a validating server connects.
         */
        public Caddy onPorts(int httpPort, int tlsPort) {
            return new Caddy(directoryUrl, caBundle, workDir, email, eab, httpPort, tlsPort);
        }

        /** Starts Caddy for {@code siteName} bound to 127.0.0.1 on a free port; returns at once. */
        public Caddy serve(String siteName) {
            if (process != null) {
                throw new IllegalStateException("caddy is already running");
            }
            site = siteName;
            createDirectories(workDir);
            httpsPort = fixedHttpsPort > 0 ? fixedHttpsPort : freeLoopbackPort();
            // Without fixed ports, only ever used to answer http-01, which no valid authorization needs.
            int httpPort = fixedHttpPort > 0 ? fixedHttpPort : freeLoopbackPort();
            Path caddyfile = workDir.resolve("Caddyfile");
            write(caddyfile, String.join("\n",
                    "{",
                    "\tadmin off",
                    "\tacme_ca " + directoryUrl,
                    "\tacme_ca_root \"" + caBundle + "\"",
                    "\temail " + email,
                    eab == null ? "" : "\tacme_eab {\n\t\tkey_id " + eab.kid() + "\n\t\tmac_key " + eab.hmacKeyBase64Url()
                            + "\n\t}",
                    "\thttp_port " + httpPort,
                    "\thttps_port " + httpsPort,
                    "\tauto_https disable_redirects",
                    "\tstorage file_system \"" + workDir.resolve("storage") + "\"",
                    "\tservers {",
                    "\t\tprotocols h1 h2",
                    "\t}",
                    "}",
                    "",
                    siteName + " {",
                    "\tbind 127.0.0.1",
                    "\trespond \"" + BODY + "\"",
                    "}",
                    ""));
            ProcessBuilder builder = new ProcessBuilder("caddy", "run", "--config", caddyfile.toString(),
                    "--adapter", "caddyfile").directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log().toFile());
            PROXY_VARIABLES.forEach(builder.environment()::remove);
            builder.environment().putAll(Map.of("HOME", workDir.toString(),
                    "XDG_DATA_HOME", workDir.resolve("data").toString(),
                    "XDG_CONFIG_HOME", workDir.resolve("config").toString()));
            try {
                process = builder.start();
                process.getOutputStream().close();
            } catch (IOException e) {
                throw new AssertionError("cannot start caddy (is it installed?)", e);
            }
            return this;
        }

        /**
         * Waits (up to {@link #STARTUP}) until a TLS client that trusts only the CA bundle, sends the site's
         * name as SNI and checks the served certificate against that name completes a handshake with Caddy,
         * then fetches {@code GET /} over that connection. Fails with Caddy's log if Caddy exits or the time
         * runs out.
         */
        public ServedSite awaitServed() {
            long deadline = System.nanoTime() + STARTUP.toNanos();
            Exception last = null;
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("caddy exited with " + process.exitValue() + "; its log:\n" + read(log()));
                }
                try {
                    return fetch();
                } catch (IOException e) { // no certificate yet: Caddy refuses the handshake
                    last = e;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for caddy", e);
                }
            }
            throw new AssertionError("caddy did not serve a trusted certificate for " + site + " within " + STARTUP
                    + " (last attempt: " + last + "); its log:\n" + read(log()));
        }

        private ServedSite fetch() throws IOException {
            SSLSocketFactory factory = trustingOnly(readCertificates(caBundle)).getSocketFactory();
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpsPort), 2000);
                plain.setSoTimeout(5000);
                try (SSLSocket tls = (SSLSocket) factory.createSocket(plain, site, httpsPort, true)) {
                    SSLParameters parameters = tls.getSSLParameters();
                    parameters.setServerNames(List.of(new SNIHostName(site)));
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    tls.setSSLParameters(parameters);
                    tls.startHandshake();
                    List<X509Certificate> chain = new ArrayList<>();
                    for (java.security.cert.Certificate certificate : tls.getSession().getPeerCertificates()) {
                        chain.add((X509Certificate) certificate);
                    }
                    tls.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + site + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    tls.getOutputStream().flush();
                    String response = new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    int bodyStart = response.indexOf("\r\n\r\n");
                    return new ServedSite(List.copyOf(chain), bodyStart < 0 ? "" : response.substring(bodyStart + 4));
                }
            }
        }

        /** Caddy's combined output (its JSON log lines). */
        public Path log() {
            return workDir.resolve("caddy.log");
        }

        public int httpsPort() {
            return httpsPort;
        }

        public Path workDir() {
            return workDir;
        }

        /** Stops Caddy (SIGTERM, then SIGKILL after 10 s). */
        @Override
        public void close() {
            if (process != null) {
                ServerProcesses.stop(process);
            }
        }
    }

    /** A TLS context that trusts exactly the given certificates as anchors, and nothing else. */
    public static SSLContext trustingOnly(List<X509Certificate> anchors) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
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

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
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
