package dev.certplane.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A load client for any RFC 8555 (ACME) server: it learns every URL from the directory, creates ES256 accounts
 * up front, then places complete orders (newOrder, authorizations, finalize, certificate download) from N
 * concurrent workers and reports orders per second and order latency. Run it with {@code scripts/bench-acme.sh};
 * it is a {@code main} program, not a test.
 *
 * <p>It usually shares the machine's cores with the server under test, so it keeps its own CPU per order low: each
 * worker speaks HTTP/1.1 over one persistent TLS connection ({@link Http1Connection}, not
 * {@code java.net.http.HttpClient}) and signs with {@link EcdsaP256}; "client CPU ms/order" shows what it costs.
 *
 * <p>Arguments, each {@code --key=value}: {@code --directory=URL} (required), {@code --ca-bundle=FILE} (PEM
 * certificates to trust; the JDK's trust store when absent), {@code --concurrency=1,16,64},
 * {@code --duration=30s}, {@code --warmup=5s}, {@code --domain-suffix=bench.internal}, {@code --accounts=N}
 * (default: the largest concurrency), {@code --fill=N}, {@code --server-pid=PID}, {@code --names=1}.
 */
public final class AcmeLoadClient {

    private static final String JOSE = "application/jose+json";
    private static final String BAD_NONCE = "urn:ietf:params:acme:error:badNonce";
    private static final int FILL_CONCURRENCY = 16;
    private static final int MAX_ERROR_BODIES = 5;
    /** Per read of an answer, not per request. */
    private static final int READ_TIMEOUT_MILLIS = 30_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final String USER_AGENT = "certplane-acme-load-client";
    private static final long STALL_NANOS = Duration.ofSeconds(90).toNanos();
    private static final long ORDER_DEADLINE_NANOS = Duration.ofSeconds(120).toNanos();
    private static final long MAX_RETRY_AFTER_MILLIS = 10_000;
    /** Polling without a Retry-After: 10 ms, doubling up to 500 ms. */
    private static final long FIRST_POLL_MILLIS = 10;
    private static final long MAX_DEFAULT_POLL_MILLIS = 500;

    private static final AlgorithmIdentifier ECDSA_WITH_SHA256 = new AlgorithmIdentifier(
            X9ObjectIdentifiers.ecdsa_with_SHA256);
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SSLSocketFactory tls;
    private final List<String> cipherSuites;
    private final String newNonceUrl;
    private final String newAccountUrl;
    private final String newOrderUrl;
    private final String domainSuffix;
    private final int namesPerOrder;
    private final AtomicInteger errorBodiesShown = new AtomicInteger();

    private AcmeLoadClient(SSLSocketFactory tls, List<String> cipherSuites, JsonNode directory, String domainSuffix,
            int namesPerOrder) {
        this.tls = tls;
        this.cipherSuites = cipherSuites;
        this.newNonceUrl = required(directory, "newNonce");
        this.newAccountUrl = required(directory, "newAccount");
        this.newOrderUrl = required(directory, "newOrder");
        this.domainSuffix = domainSuffix;
        this.namesPerOrder = namesPerOrder;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = parseArgs(argv);
        String directoryUrl = args.get("directory");
        if (directoryUrl == null) {
            System.err.println("usage: AcmeLoadClient --directory=URL [--ca-bundle=FILE] [--concurrency=1,16,64]"
                    + " [--duration=30s] [--warmup=5s] [--domain-suffix=bench.internal] [--accounts=N] [--fill=N]"
                    + " [--server-pid=PID] [--names=1]");
            System.exit(2);
        }
        int[] concurrencies = Arrays.stream(args.getOrDefault("concurrency", "1,16,64").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        Duration duration = parseDuration(args.getOrDefault("duration", "30s"));
        Duration warmup = parseDuration(args.getOrDefault("warmup", "5s"));
        String suffix = args.getOrDefault("domain-suffix", "bench.internal");
        int maxConcurrency = Arrays.stream(concurrencies).max().orElse(1);
        int accountCount = Integer.parseInt(args.getOrDefault("accounts", String.valueOf(maxConcurrency)));
        long fill = Long.parseLong(args.getOrDefault("fill", "0"));
        Long serverPid = args.containsKey("server-pid") ? Long.valueOf(args.get("server-pid")) : null;
        int names = Integer.parseInt(args.getOrDefault("names", "1"));

        System.out.println("# ACME load client");
        System.out.println("nproc: " + Runtime.getRuntime().availableProcessors());
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version()
                + " (" + System.getProperty("java.vendor") + ")");
        System.out.println("directory: " + directoryUrl);
        System.out.println("concurrency: " + Arrays.toString(concurrencies) + ", warmup " + warmup.toMillis()
                + " ms, duration " + duration.toMillis() + " ms, accounts " + accountCount + ", names/order " + names
                + (serverPid != null ? ", server pid " + serverPid : ""));

        SSLSocketFactory tls = sslContext(args.get("ca-bundle")).getSocketFactory();
        List<String> cipherSuites = cipherSuites();
        Http1Connection.Response dir;
        try (Http1Connection http = connection(tls, cipherSuites)) {
            dir = http.exchange("GET", directoryUrl, null, null, null);
        }
        if (dir.status() != 200) {
            System.out.println("the ACME directory " + directoryUrl + " answered HTTP " + dir.status() + ": "
                    + abbreviate(dir.text()));
            System.exit(1);
        }
        AcmeLoadClient client = new AcmeLoadClient(tls, cipherSuites, JSON.readTree(dir.body()), suffix, names);
        EcdsaP256.precompute();

        long t0 = System.nanoTime();
        List<Account> accounts = client.createAccounts(accountCount);
        System.out.printf("created %d accounts in %d ms (not measured)%n", accounts.size(),
                (System.nanoTime() - t0) / 1_000_000);

        if (fill > 0) {
            client.fill(accounts, fill);
        }

        List<Result> results = new ArrayList<>();
        System.out.println(Result.HEADER);
        System.out.println(Result.RULE);
        for (int c : concurrencies) {
            Result r = client.measure(accounts, c, warmup, duration, serverPid);
            results.add(r);
            System.out.println(r.row());
            System.out.printf("  concurrency %d: %.1f requests/s, %.2f requests/order, client CPU %.2f ms/order,"
                    + " badNonce retries %d%n", c, r.requestsPerSecond(), r.requestsPerOrder(), r.clientCpuMsPerOrder(),
                    r.badNonceRetries);
        }

        System.out.println();
        System.out.println(Result.HEADER);
        System.out.println(Result.RULE);
        results.forEach(r -> System.out.println(r.row()));
        System.out.println();
        for (Result r : results) {
            System.out.printf("concurrency %d: %.1f requests/s%n", r.concurrency, r.requestsPerSecond());
        }
        long errors = results.stream().mapToLong(r -> r.errors).sum();
        System.exit(errors == 0 ? 0 : 1);
    }

    // ---------------------------------------------------------------------------------------------- phases

    private List<Account> createAccounts(int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(count, FILL_CONCURRENCY)));
        try {
            List<Future<Account>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    try (Worker w = new Worker(-1, null, new Stats())) {
                        return w.newAccount();
                    }
                }));
            }
            List<Account> accounts = new ArrayList<>();
            for (Future<Account> f : futures) {
                accounts.add(f.get());
            }
            return accounts;
        } finally {
            pool.shutdown();
        }
    }

    private void fill(List<Account> accounts, long orders) throws InterruptedException {
        System.out.printf("filling: %d complete orders at concurrency %d%n", orders, FILL_CONCURRENCY);
        Stats stats = new Stats();
        stats.counting = true;
        AtomicLong remaining = new AtomicLong(orders);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < FILL_CONCURRENCY; i++) {
            Worker w = new Worker(i, accounts.get(i % accounts.size()), stats);
            Thread t = new Thread(() -> {
                try (w) {
                    while (remaining.getAndDecrement() > 0) {
                        w.completeOrder();
                    }
                }
            }, "fill-" + i);
            t.start();
            threads.add(t);
        }
        long lastPrinted = 0;
        long lastProgress = 0;
        long lastDone = 0;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(1000);
            long done = stats.orders.get();
            long elapsed = System.nanoTime() - start;
            if (done != lastDone) {
                lastDone = done;
                lastProgress = elapsed;
            } else if (elapsed - lastProgress > STALL_NANOS) {
                System.out.printf("fill: no order completed for %d s, the server seems stuck; giving up%n",
                        STALL_NANOS / 1_000_000_000L);
                System.exit(3);
            }
            if (elapsed - lastPrinted >= 10_000_000_000L) {
                lastPrinted = elapsed;
                System.out.printf("  fill: %d/%d orders, %d errors, %.1f orders/s%n", done, orders,
                        stats.errors.get(), done / (elapsed / 1e9));
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("filled: %d orders in %.1f s (%.1f orders/s), %d errors%n", stats.orders.get(), secs,
                stats.orders.get() / secs, stats.errors.get());
    }

    private Result measure(List<Account> accounts, int concurrency, Duration warmup, Duration duration, Long serverPid)
            throws InterruptedException {
        Stats stats = new Stats();
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Worker w = new Worker(i, accounts.get(i % accounts.size()), stats);
            workers.add(w);
            Thread t = new Thread(() -> {
                try (w) {
                    while (!stats.stop) {
                        w.completeOrder();
                    }
                }
            }, "worker-" + i);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        Thread.sleep(warmup.toMillis());

        long cpu0 = serverPid != null ? serverCpuMillis(serverPid) : 0;
        long clientCpu0 = clientCpuNanos();
        long start = System.nanoTime();
        stats.counting = true;
        Thread.sleep(duration.toMillis());
        stats.counting = false;
        long elapsed = System.nanoTime() - start;
        long cpu1 = serverPid != null ? serverCpuMillis(serverPid) : 0;
        long clientCpu1 = clientCpuNanos();
        stats.stop = true;
        for (Thread t : threads) {
            t.join();
        }

        List<Long> latencies = new ArrayList<>();
        workers.forEach(w -> latencies.addAll(w.latencies));
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(concurrency, sorted.length, elapsed, percentile(sorted, 50), percentile(sorted, 99),
                stats.errors.get(), stats.requests.get(), serverPid != null ? cpu1 - cpu0 : -1,
                clientCpu1 - clientCpu0, stats.badNonceRetries.get());
    }

    // ---------------------------------------------------------------------------------------------- worker

    /** Counters shared by the workers of one phase; only what happens while {@code counting} is counted. */
    private static final class Stats {
        volatile boolean counting;
        volatile boolean stop;
        final AtomicLong orders = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong badNonceRetries = new AtomicLong();
    }

    private record Account(EcdsaP256.Key keys, String kid) {
    }

    /** An ACME error answer (non-2xx) or an unexpected state: the order is abandoned and counted as an error. */
    private static final class AcmeFailure extends Exception {
        AcmeFailure(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Reply {
        final int status;
        final Http1Connection.Headers headers;
        final String body;
        private JsonNode json;

        Reply(int status, Http1Connection.Headers headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        /** The body as JSON, parsed on first use. */
        JsonNode json() {
            if (json == null) {
                json = JSON.readTree(body);
            }
            return json;
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /** One connection per worker, used by the worker's thread only. */
    private static Http1Connection connection(SSLSocketFactory tls, List<String> cipherSuites) {
        return new Http1Connection(tls, cipherSuites, USER_AGENT, CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS);
    }

    private final class Worker implements AutoCloseable {
        final int id;
        final Account account;
        final Stats stats;
        final List<Long> latencies = new ArrayList<>();
        /** This worker's signer (digest, random source) for its JWS and CSRs. */
        final EcdsaP256 ecdsa = new EcdsaP256(secureRandom());
        /** The key of every certificate this worker orders, and its encoded public half for the CSRs. */
        final EcdsaP256.Key certKey;
        final SubjectPublicKeyInfo certKeyInfo;
        final Http1Connection http = connection(tls, cipherSuites);
        String nonce;

        Worker(int id, Account account, Stats stats) {
            this.id = id;
            this.account = account;
            this.stats = stats;
            this.certKey = account == null ? null : ecdsa.generateKey();
            this.certKeyInfo = certKey == null ? null : certKey.subjectPublicKeyInfo();
        }

        @Override
        public void close() {
            http.close();
        }

        Account newAccount() throws Exception {
            EcdsaP256.Key keys = ecdsa.generateKey();
            String payload = "{\"termsOfServiceAgreed\":true,\"contact\":[\"mailto:bench@example.com\"]}";
            Reply r = post(newAccountUrl, payload, keys, null, null);
            String kid = r.header("Location").orElseThrow(() -> new IllegalStateException("newAccount: no Location"));
            return new Account(keys, kid);
        }

        /** One complete order; its latency is recorded when it completes while the phase is counting. */
        void completeOrder() {
            long start = System.nanoTime();
            try {
                placeOrder(start);
                if (stats.counting) {
                    stats.orders.incrementAndGet();
                    latencies.add(System.nanoTime() - start);
                }
            } catch (AcmeFailure e) {
                error(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stats.stop = true;
            } catch (Exception e) {
                error(e.toString());
            }
        }

        private void placeOrder(long start) throws Exception {
            List<String> names = new ArrayList<>(namesPerOrder);
            StringBuilder payload = new StringBuilder(64 + 64 * namesPerOrder).append("{\"identifiers\":[");
            for (int i = 0; i < namesPerOrder; i++) {
                String name = "o" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "." + id + "."
                        + domainSuffix;
                names.add(name);
                payload.append(i == 0 ? "" : ",").append("{\"type\":\"dns\",\"value\":");
                jsonString(payload, name).append('}');
            }
            Reply created = post(newOrderUrl, payload.append("]}").toString());
            String orderUrl = created.header("Location").orElseThrow(() -> new AcmeFailure("newOrder: no Location"));
            JsonNode order = created.json();

            for (JsonNode authzUrlNode : order.path("authorizations")) {
                String authzUrl = authzUrlNode.asString();
                Reply authz = postAsGet(authzUrl);
                String status = authz.json().path("status").asString();
                if ("pending".equals(status)) {
                    String challengeUrl = null;
                    for (JsonNode ch : authz.json().path("challenges")) {
                        if ("http-01".equals(ch.path("type").asString())) {
                            challengeUrl = ch.path("url").asString();
                        }
                    }
                    if (challengeUrl == null) {
                        throw new AcmeFailure("authorization " + authzUrl + " offers no http-01 challenge");
                    }
                    post(challengeUrl, "{}");
                    for (int attempt = 0; !"valid".equals(status); attempt++) {
                        checkDeadline(start, "authorization " + authzUrl + " still " + status);
                        pause(authz, attempt);
                        authz = postAsGet(authzUrl);
                        status = authz.json().path("status").asString();
                        if (!"pending".equals(status) && !"valid".equals(status) && !"processing".equals(status)) {
                            throw new AcmeFailure("authorization " + authzUrl + " became " + status + ": " + authz.body);
                        }
                    }
                } else if (!"valid".equals(status)) {
                    throw new AcmeFailure("authorization " + authzUrl + " is " + status + ": " + authz.body);
                }
            }

            String finalizePayload = "{\"csr\":\"" + B64.encodeToString(csr(names)) + "\"}";
            Reply current = post(order.path("finalize").asString(), finalizePayload);
            order = current.json();
            for (int attempt = 0; !"valid".equals(order.path("status").asString()); attempt++) {
                String status = order.path("status").asString();
                if (!"processing".equals(status) && !"ready".equals(status)) {
                    throw new AcmeFailure("order " + orderUrl + " is " + status + ": " + current.body);
                }
                checkDeadline(start, "order " + orderUrl + " still " + status);
                pause(current, attempt);
                current = postAsGet(orderUrl);
                order = current.json();
            }

            String certificateUrl = order.path("certificate").asString();
            if (certificateUrl == null || certificateUrl.isEmpty()) {
                throw new AcmeFailure("valid order " + orderUrl + " has no certificate URL");
            }
            Reply cert = post(certificateUrl, "", account.keys, account.kid, "application/pem-certificate-chain");
            if (!cert.body.startsWith("-----BEGIN CERTIFICATE-----")) {
                throw new AcmeFailure("certificate " + certificateUrl + " is not a PEM chain: " + abbreviate(cert.body));
            }
        }

        private void checkDeadline(long start, String what) throws AcmeFailure {
            if (System.nanoTime() - start > ORDER_DEADLINE_NANOS) {
                throw new AcmeFailure("gave up: " + what);
            }
        }

        private Reply postAsGet(String url) throws Exception {
            return post(url, "", account.keys, account.kid, null);
        }

        private Reply post(String url, String payload) throws Exception {
            return post(url, payload, account.keys, account.kid, null);
        }

        /** A JWS POST; a badNonce answer is retried once with the nonce that came with it. */
        private Reply post(String url, String payload, EcdsaP256.Key keys, String kid, String accept) throws Exception {
            Reply r = send(url, payload, keys, kid, accept);
            if (r.status == 400 && r.body.contains(BAD_NONCE)) {
                stats.badNonceRetries.incrementAndGet();
                r = send(url, payload, keys, kid, accept);
            }
            if (r.status < 200 || r.status > 299) {
                throw new AcmeFailure("HTTP " + r.status + " from POST " + url + ": " + abbreviate(r.body));
            }
            return r;
        }

        private Reply send(String url, String payload, EcdsaP256.Key keys, String kid, String accept)
                throws Exception {
            if (nonce == null) {
                nonce = freshNonce();
            }
            byte[] body = jws(url, payload, keys, kid, nonce);
            nonce = null;
            Http1Connection.Response resp = http.exchange("POST", url, body, JOSE, accept);
            count();
            nonce = resp.headers().firstValue("Replay-Nonce").orElse(null);
            return new Reply(resp.status(), resp.headers(), resp.text());
        }

        private String freshNonce() throws Exception {
            Http1Connection.Response resp = http.exchange("HEAD", newNonceUrl, null, null, null);
            count();
            if (resp.status() < 200 || resp.status() > 299) {
                throw new AcmeFailure("HTTP " + resp.status() + " from HEAD " + newNonceUrl);
            }
            return resp.headers().firstValue("Replay-Nonce")
                    .orElseThrow(() -> new AcmeFailure("newNonce answered without Replay-Nonce"));
        }

        private void count() {
            if (stats.counting) {
                stats.requests.incrementAndGet();
            }
        }

        private void error(String message) {
            if (stats.counting) {
                stats.errors.incrementAndGet();
            }
            if (errorBodiesShown.getAndIncrement() < MAX_ERROR_BODIES) {
                System.out.println("  error (worker " + id + "): " + message);
            }
        }

        /** The flattened JWS (RFC 7515 7.2.2) of a request, signed ES256, with either a kid or the jwk. */
        private byte[] jws(String url, String payload, EcdsaP256.Key keys, String kid, String nonce) {
            StringBuilder header = new StringBuilder(192).append("{\"alg\":\"ES256\",\"nonce\":");
            jsonString(header, nonce).append(",\"url\":");
            jsonString(header, url);
            if (kid != null) {
                jsonString(header.append(",\"kid\":"), kid);
            } else {
                header.append(",\"jwk\":{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"")
                        .append(B64.encodeToString(keys.x())).append("\",\"y\":\"")
                        .append(B64.encodeToString(keys.y())).append("\"}");
            }
            String protectedB64 = B64.encodeToString(header.append('}').toString().getBytes(StandardCharsets.UTF_8));
            String payloadB64 = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
            String signingInput = protectedB64 + "." + payloadB64;
            String sig = B64.encodeToString(ecdsa.signJose(keys, signingInput.getBytes(StandardCharsets.US_ASCII)));
            return ("{\"protected\":\"" + protectedB64 + "\",\"payload\":\"" + payloadB64 + "\",\"signature\":\"" + sig
                    + "\"}").getBytes(StandardCharsets.US_ASCII);
        }

        private byte[] csr(List<String> names) throws IOException {
            return AcmeLoadClient.csr(ecdsa, certKey, certKeyInfo, names);
        }
    }

    // ---------------------------------------------------------------------------------------------- JOSE

    /** A PKCS#10 request for the names (the first one also the subject's CN), signed by the key. */
    static byte[] csr(EcdsaP256 ecdsa, EcdsaP256.Key key, SubjectPublicKeyInfo keyInfo, List<String> names)
            throws IOException {
        GeneralName[] sans = new GeneralName[names.size()];
        for (int i = 0; i < sans.length; i++) {
            sans[i] = new GeneralName(GeneralName.dNSName, names.get(i));
        }
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, names.get(0)).build();
        CertificationRequestInfo info = new CertificationRequestInfo(subject, keyInfo, new DERSet(
                new Attribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, new DERSet(extensions.generate()))));
        byte[] signature = ecdsa.signDer(key, info.getEncoded(ASN1Encoding.DER));
        return new CertificationRequest(info, ECDSA_WITH_SHA256, new DERBitString(signature))
                .getEncoded(ASN1Encoding.DER);
    }

    /** Appends s as a JSON string (RFC 8259 7). */
    static StringBuilder jsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"');
    }

    /** A random source per worker: the shared default one synchronizes all threads on one lock. */
    private static SecureRandom secureRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /**
     * Waits as long as the answer's Retry-After asks (capped), or a short, growing delay when it asks nothing.
     */
    private static void pause(Reply r, int attempt) throws InterruptedException {
        long millis = Math.min(MAX_DEFAULT_POLL_MILLIS, FIRST_POLL_MILLIS << Math.min(attempt, 10));
        Optional<String> retryAfter = r.header("Retry-After");
        if (retryAfter.isPresent()) {
            String v = retryAfter.get().trim();
            try {
                millis = Long.parseLong(v) * 1000;
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Optional<String> date = r.header("Date");
                    ZonedDateTime now = date.isPresent()
                            ? ZonedDateTime.parse(date.get().trim(), DateTimeFormatter.RFC_1123_DATE_TIME) : at;
                    millis = Duration.between(now, at).toMillis();
                } catch (RuntimeException unparsable) {
                    millis = Math.min(MAX_DEFAULT_POLL_MILLIS, FIRST_POLL_MILLIS << Math.min(attempt, 10));
                }
            }
        }
        Thread.sleep(Math.max(0, Math.min(millis, MAX_RETRY_AFTER_MILLIS)));
    }

    /**
     * ChaCha20-Poly1305 first when the JVM runs without C2 (the script starts the client with
     * {@code -XX:TieredStopAtLevel=1}): C1 has no AES intrinsics, and AES-GCM then costs some 2.5 times more CPU;
     * with C2, AES-GCM is the cheapest and the JDK's defaults are kept (null).
     */
    private static List<String> cipherSuites() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            boolean tiered = Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue());
            int stopAt = Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue());
            if (!tiered || stopAt >= 4) {
                return null;
            }
        } catch (RuntimeException notHotSpot) {
            return null;
        }
        return List.of("TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    }

    private static SSLContext sslContext(String caBundle) throws Exception {
        if (caBundle == null) {
            return SSLContext.getDefault();
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(caBundle))) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no certificates in " + caBundle);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** utime + stime of a process in milliseconds, from /proc/PID/stat (clock ticks of 10 ms on Linux). */
    private static long serverCpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) " the fields start at field 3 (state); utime is field 14, stime field 15
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            System.out.println("  cannot read CPU time of pid " + pid + ": " + e);
            return 0;
        }
    }

    private static final long CLOCK_TICKS = clockTicks();

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static long clientCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String required(JsonNode directory, String field) {
        String v = directory.path(field).asString();
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("the ACME directory has no " + field);
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 600 ? s : s.substring(0, 600) + "...";
    }

    static Map<String, String> parseArgs(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("expected --key=value, got " + a);
            }
            int eq = a.indexOf('=');
            args.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return args;
    }

    static Duration parseDuration(String s) {
        String v = s.trim().toLowerCase();
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }

    private record Result(int concurrency, long orders, long elapsedNanos, long p50Nanos, long p99Nanos, long errors,
            long requests, long serverCpuMillis, long clientCpuNanos, long badNonceRetries) {

        static final String HEADER = "| concurrency | orders | orders/s | p50 ms | p99 ms | errors | server CPU ms/order |";
        static final String RULE = "|---:|---:|---:|---:|---:|---:|---:|";

        double seconds() {
            return elapsedNanos / 1e9;
        }

        double requestsPerSecond() {
            return requests / seconds();
        }

        double requestsPerOrder() {
            return orders == 0 ? 0 : (double) requests / orders;
        }

        double clientCpuMsPerOrder() {
            return orders == 0 || clientCpuNanos < 0 ? 0 : clientCpuNanos / 1e6 / orders;
        }

        String row() {
            String cpu = serverCpuMillis < 0 ? "n/a"
                    : orders == 0 ? "-" : String.format("%.2f", (double) serverCpuMillis / orders);
            return String.format("| %d | %d | %.1f | %.1f | %.1f | %d | %s |", concurrency, orders, orders / seconds(),
                    p50Nanos / 1e6, p99Nanos / 1e6, errors, cpu);
        }
    }
}
