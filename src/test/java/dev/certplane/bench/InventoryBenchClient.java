package dev.certplane.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures the inventory API of a running Certplane holding many certificates: for each list, filter and search
 * case, sequential requests after a warm-up with their p50/p95/p99 latency and the server's CPU per request; the
 * dashboard counts; and one full CSV export with its wall time, size, row count and the server's heap while it
 * streams. Run it with {@code scripts/bench-inventory.sh}; it is a {@code main} program, not a test.
 *
 * <p>Arguments, each {@code --key=value}: {@code --base=URL}, {@code --ca-bundle=FILE}, {@code --password=} (the
 * admin's, used once to create an API token: a bcrypt check on every request would dominate the latency),
 * {@code --server-pid=PID}, {@code --requests=200}, {@code --warmup=50}, and the search inputs {@code --hostname},
 * {@code --domain}, {@code --fingerprint}, {@code --cn-prefix}, {@code --broad-prefix}, {@code --organization},
 * {@code --issuer}.
 */
public final class InventoryBenchClient {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final long HEAP_SAMPLE_MILLIS = 100;

    private final HttpClient http;
    private final String base;
    private final String authorization;
    private final Long serverPid;

    private InventoryBenchClient(HttpClient http, String base, String authorization, Long serverPid) {
        this.http = http;
        this.base = base;
        this.authorization = authorization;
        this.serverPid = serverPid;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --key=value, got " + arg);
            }
            args.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        String base = required(args, "base");
        int requests = Integer.parseInt(args.getOrDefault("requests", "200"));
        int warmup = Integer.parseInt(args.getOrDefault("warmup", "50"));
        Long serverPid = args.containsKey("server-pid") ? Long.valueOf(args.get("server-pid")) : null;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext(Path.of(required(args, "ca-bundle")))).connectTimeout(Duration.ofSeconds(10))
                .build();

        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + required(args, "password"))
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/api-tokens"))
                .header("Authorization", basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"inventory benchmark\",\"permissions\":[\"certificates.view\"],\"expiresInDays\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating an API token answered " + created.statusCode() + ": "
                    + created.body());
        }
        String bearer = "Bearer " + JSON.readTree(created.body()).get("secret").asString();
        InventoryBenchClient client = new InventoryBenchClient(http, base, bearer, serverPid);

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("first page, default sort (notAfter)", "page=0&size=50");
        cases.put("status=expiring", "status=expiring&page=0&size=50");
        cases.put("organization + leafOnly", "organization=" + enc(required(args, "organization"))
                + "&leafOnly=true&page=0&size=50");
        cases.put("issuer (busiest issuing CA)", "issuer=" + enc(required(args, "issuer")) + "&page=0&size=50");
        cases.put("expires in 10-40 days", "expiresAfter=" + now.plus(10, ChronoUnit.DAYS) + "&expiresBefore="
                + now.plus(40, ChronoUnit.DAYS) + "&page=0&size=50");
        cases.put("deep page (page 1000)", "page=1000&size=50");
        cases.put("search hostname (exact)", "q=" + enc(required(args, "hostname")) + "&page=0&size=50");
        cases.put("search parent domain", "q=" + enc(required(args, "domain")) + "&page=0&size=50");
        cases.put("search SHA-256 prefix (12 hex)", "q=" + enc(required(args, "fingerprint")) + "&page=0&size=50");
        cases.put("search CN prefix", "q=" + enc(required(args, "cn-prefix")) + "&page=0&size=50");
        cases.put("search broad prefix", "q=" + enc(required(args, "broad-prefix")) + "&page=0&size=50");
        cases.put("sort by subject", "sort=subject&page=0&size=50");

        System.out.println("# Inventory benchmark client");
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version());
        System.out.println("requests per case: " + requests + " sequential, after " + warmup + " warm-up requests");
        System.out.println("inputs: " + args.entrySet().stream()
                .filter(e -> !Arrays.asList("password", "base", "ca-bundle").contains(e.getKey()))
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
        System.out.println();
        String header = String.format("| %-36s | %9s | %7s | %7s | %7s | %9s |", "case", "total", "p50 ms", "p95 ms",
                "p99 ms", "CPU ms/req");
        String rule = "|" + "-".repeat(38) + "|" + "-".repeat(10) + ":|" + "-".repeat(8) + ":|" + "-".repeat(8) + ":|"
                + "-".repeat(8) + ":|" + "-".repeat(10) + ":|";
        List<String> rows = new ArrayList<>();
        System.out.println(header);
        System.out.println(rule);
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String row = client.measure(c.getKey(), "/api/certificates?" + c.getValue(), requests, warmup, true);
            rows.add(row);
            System.out.println(row);
        }
        String stats = client.measure("stats", "/api/certificates/stats", requests, warmup, false);
        rows.add(stats);
        System.out.println(stats);
        System.out.println("stats: " + client.get("/api/certificates/stats").body());

        System.out.println();
        System.out.println(header);
        System.out.println(rule);
        rows.forEach(System.out::println);
        System.out.println();
        client.export();
    }

    private String measure(String name, String path, int requests, int warmup, boolean page) throws Exception {
        HttpResponse<String> first = get(path);
        for (int i = 0; i < warmup; i++) {
            get(path);
        }
        long[] nanos = new long[requests];
        long cpu0 = serverCpuMillis();
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            get(path);
            nanos[i] = System.nanoTime() - start;
        }
        long cpu = serverCpuMillis() - cpu0;
        Arrays.sort(nanos);
        String total = page ? String.valueOf(JSON.readTree(first.body()).get("total").asLong()) : "";
        return String.format("| %-36s | %9s | %7.1f | %7.1f | %7.1f | %9s |", name, total, percentile(nanos, 50),
                percentile(nanos, 95), percentile(nanos, 99),
                serverPid == null ? "" : String.format("%.1f", cpu / (double) requests));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(path), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response;
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", authorization)
                .timeout(Duration.ofMinutes(30)).GET().build();
    }

    /** One full export: wall time, bytes and lines; the server's used heap sampled while it streams. */
    private void export() throws Exception {
        AtomicLong maxHeap = new AtomicLong();
        AtomicLong samples = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        HttpClient sampler = http;
        Thread heapSampler = new Thread(() -> {
            while (!done.get()) {
                try {
                    HttpResponse<String> r = sampler.send(request("/actuator/metrics/jvm.memory.used?tag=area:heap"),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        long used = JSON.readTree(r.body()).get("measurements").get(0).get("value").asLong();
                        maxHeap.accumulateAndGet(used, Math::max);
                        samples.incrementAndGet();
                    }
                    Thread.sleep(HEAP_SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    // A missed sample is not a failed export; the count of samples shows how many were taken.
                }
            }
        }, "heap-sampler");
        heapSampler.setDaemon(true);
        long cpu0 = serverCpuMillis();
        long start = System.nanoTime();
        heapSampler.start();
        long bytes = 0;
        long lines = 0;
        int status;
        try (InputStream body = http.send(request("/api/certificates/export"), HttpResponse.BodyHandlers.ofInputStream())
                .body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) > 0;) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        done.set(true);
        heapSampler.join();
        long cpu = serverCpuMillis() - cpu0;
        System.out.printf("export: %d rows (+1 header line) in %.1f s, %.1f MiB (%.0f rows/s), server CPU %.1f s,"
                + " max used heap %.1f MiB of 256 MiB (%d samples every %d ms)%n", lines - 1, seconds,
                bytes / 1048576.0, (lines - 1) / seconds, cpu / 1000.0, maxHeap.get() / 1048576.0, samples.get(),
                HEAP_SAMPLE_MILLIS);
    }

    private long serverCpuMillis() throws IOException {
        if (serverPid == null) {
            return 0;
        }
        // /proc/<pid>/stat: fields 14 and 15 are utime and stime in clock ticks (100 per second on Linux).
        String stat = Files.readString(Path.of("/proc", String.valueOf(serverPid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    private static double percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String required(Map<String, String> args, String key) {
        String value = args.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("--" + key + "= is required");
        }
        return value;
    }

    private static SSLContext sslContext(Path caBundle) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caBundle)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
