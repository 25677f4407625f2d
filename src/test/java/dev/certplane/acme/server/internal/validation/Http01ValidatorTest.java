package dev.certplane.acme.server.internal.validation;

import static dev.certplane.acme.server.internal.validation.Fixtures.KEY_AUTHORIZATION;
import static dev.certplane.acme.server.internal.validation.Fixtures.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.ProblemType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP-01 (RFC 8555 8.3) against real HTTP servers on loopback, and the SSRF and resource limits around it. */
class Http01ValidatorTest {

    private static final String HOST = "www.example.test";
    private static final String PATH = "/.well-known/acme-challenge/" + KEY_AUTHORIZATION.token();
    private static final String EXPECTED = KEY_AUTHORIZATION.text();

    private final FakeDns dns = new FakeDns("fake").a(HOST, "127.0.0.1");
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
    /** "Host-header path" of every request the HTTP server received. */
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private HttpServer http;
    private RawServer raw;

    @AfterEach
    void stopServers() throws IOException {
        if (http != null) {
            http.stop(0);
        }
        if (raw != null) {
            raw.close();
        }
    }

    @Test
    void theKeyAuthorizationMakesTheChallengeValid() throws IOException {
        int port = serve(PATH, text(200, EXPECTED));

        ValidationResult result = validate(port, HOST);

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.problem()).isNull();
        assertThat(result.detail()).isEqualTo("http-01 validated for " + HOST);
        assertThat(result.record()).containsExactly(
                "resolved " + HOST + " via fake: [127.0.0.1]",
                "connected to 127.0.0.1:" + port,
                "GET " + url(port, PATH) + ": HTTP 200, " + EXPECTED.length() + " bytes");
        assertThat(requests).containsExactly(HOST + ":" + port + " " + PATH);
        assertThat(dns.queries).containsExactly(HOST + " AAAA", HOST + " A");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", " \t\r\n\r\n", "   "})
    void whitespaceAfterTheKeyAuthorizationIsIgnored(String trailer) throws IOException {
        int port = serve(PATH, text(200, EXPECTED + trailer));

        ValidationResult result = validate(port, HOST);

        assertThat(result.valid()).as(result.detail()).isTrue();
    }

    @Test
    void whitespaceBeforeTheKeyAuthorizationIsNot() throws IOException {
        int port = serve(PATH, text(200, " " + EXPECTED));

        ValidationResult result = validate(port, HOST);

        assertThat(result.valid()).isFalse();
        assertThat(result.detail()).startsWith("the key authorization from " + url(port, PATH) + " is wrong: received \" ");
    }

    @Test
    void aWrongBodyNamesWhatWasReceivedAndWhatWasExpected() throws IOException {
        int port = serve(PATH, text(200, KEY_AUTHORIZATION.token() + ".some-other-thumbprint\n"));

        ValidationResult result = validate(port, HOST);

        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).isEqualTo(ProblemType.INCORRECT_RESPONSE);
        assertThat(result.detail()).isEqualTo("the key authorization from " + url(port, PATH) + " is wrong: received \""
                + KEY_AUTHORIZATION.token() + ".some-other-thumbprint\", expected \"" + EXPECTED + "\"");
    }

    @Test
    void aHostileBodyIsQuotedShortAndPrintable() throws IOException {
        int port = serve(PATH, text(200, "\u001b[2J<script>" + "x".repeat(500)));

        ValidationResult result = validate(port, HOST);

        assertThat(result.detail()).contains("received \"?[2J<script>" + "x".repeat(88) + "…\", expected");
    }

    @Test
    void aStatusOtherThan200NamesTheStatusAndTheUrl() throws IOException {
        int port = serve(PATH, text(404, "no such token"));

        ValidationResult result = validate(port, HOST);

        assertThat(result.problem()).isEqualTo(ProblemType.INCORRECT_RESPONSE);
        assertThat(result.detail()).isEqualTo("HTTP 404 from " + url(port, PATH)
                + " (expected 200 with the key authorization); body: \"no such token\"");
    }

    @Test
    void aRedirectWithoutLocationIsNotFollowed() throws IOException {
        int port = serve(PATH, text(302, "moved, but where?"));

        ValidationResult result = validate(port, HOST);

        assertThat(result.detail()).startsWith("HTTP 302 from " + url(port, PATH) + " (expected 200");
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectToAnotherPathIsFollowed(int status) throws IOException {
        int port = serve(PATH, redirect(status, "/elsewhere/token?x=1"));
        routes.put("/elsewhere/token", text(200, EXPECTED));

        ValidationResult result = validate(port, HOST);

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.record()).contains("GET " + url(port, PATH) + ": HTTP " + status + ", 0 bytes",
                "GET " + url(port, "/elsewhere/token?x=1") + ": HTTP 200, " + EXPECTED.length() + " bytes");
        assertThat(requests).containsExactly(HOST + ":" + port + " " + PATH,
                HOST + ":" + port + " /elsewhere/token?x=1");
    }

    @Test
    void aRedirectToAnotherHostResolvesThatHostAndSendsItsName() throws IOException {
        dns.cname("other.example.test", "target.example.test").a("target.example.test", "127.0.0.1");
        int port = startHttp();
        routes.put(PATH, redirect(302, "http://other.example.test:" + port + "/t"));
        routes.put("/t", text(200, EXPECTED));

        ValidationResult result = validate(port, HOST);

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(requests).containsExactly(HOST + ":" + port + " " + PATH, "other.example.test:" + port + " /t");
        assertThat(result.record()).contains(
                "resolved other.example.test (via CNAME target.example.test) via fake: [127.0.0.1]",
                "GET http://other.example.test:" + port + "/t: HTTP 200, " + EXPECTED.length() + " bytes");
    }

    @ParameterizedTest
    @CsvSource({"www.example.test, www.example.test", "127.0.0.1, ''"})
    void aRedirectToHttpsIsFollowedWhateverTheCertificateWithSniForNamesOnly(String host, String sni) throws Exception {
        KeyPair key = TlsServer.keyPair();
        X509Certificate unrelated = TlsServer.certificate(key, List.of(TlsServer.dnsName("unrelated.example")), null,
                false);
        try (TlsServer tls = new TlsServer("127.0.0.1", key, unrelated, offered -> null, socket -> {
            RawServer.head(socket.getInputStream());
            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + EXPECTED.length() + "\r\n\r\n"
                    + EXPECTED).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        })) {
            int port = serve(PATH, redirect(302, "https://" + host + ":" + tls.port() + "/secure"));

            ValidationResult result = validate(Fixtures.settings().http01Port(port).tlsAlpn01Port(tls.port()), HOST);

            assertThat(result.valid()).as(result.detail()).isTrue();
            assertThat(result.record()).contains("GET https://" + host + ":" + tls.port() + "/secure: HTTP 200, "
                    + EXPECTED.length() + " bytes");
            assertThat(tls.serverNames).isEqualTo(sni.isEmpty() ? List.of() : List.of(sni));
            assertThat(tls.offeredProtocols).isEmpty();
        }
    }

    @Test
    void aRedirectToAPortThatIsNotAllowedIsRefused() throws IOException {
        int port = serve(PATH, redirect(302, "http://" + HOST + ":8081/x"));

        ValidationResult result = validate(port, HOST);

        assertThat(result.problem()).isEqualTo(ProblemType.CONNECTION);
        assertThat(result.detail()).isEqualTo("the redirect from " + url(port, PATH) + " goes to port 8081;"
                + " only ports " + List.of(80, 443, port).stream().sorted().toList() + " are followed");
        assertThat(requests).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://www.example.test/token             | the redirect from {url} goes to \"ftp://www.example.test/token\"; only http and https are followed",
        "file:///etc/passwd                        | the redirect from {url} goes to \"file:///etc/passwd\"; only http and https are followed",
        "gopher://127.0.0.1:70/x                   | the redirect from {url} goes to \"gopher://127.0.0.1:70/x\"; only http and https are followed",
        "http://user:secret@www.example.test/x     | the redirect from {url} to \"http://user:secret@www.example.test/x\" has no host or carries user information",
        "http://exa_mple.test/x                    | the redirect from {url} to \"http://exa_mple.test/x\" has no host or carries user information",
        "http://-bad-.example.test/x               | the redirect from {url} to \"http://-bad-.example.test/x\" has no host or carries user information",
        "http://a234567890123456789012345678901234567890123456789012345678901234.example.test/x | the redirect from {url} names host \"a234567890123456789012345678901234567890123456789012345678901234.example.test\", which is not a valid DNS name",
        "http://[::1/x                             | the redirect from {url} to \"http://[::1/x\" is not a valid URL"})
    void aRedirectToSomethingOtherThanAnHttpUrlIsRefused(String location, String detail) throws IOException {
        int port = serve(PATH, redirect(302, location));

        ValidationResult result = validate(port, HOST);

        assertThat(result.problem()).isEqualTo(ProblemType.CONNECTION);
        assertThat(result.detail()).isEqualTo(detail.replace("{url}", url(port, PATH)));
    }

    @Test
    void aRedirectLoopIsDetected() throws IOException {
        int port = serve(PATH, redirect(302, "/b"));
        routes.put("/b", redirect(301, PATH));

        ValidationResult result = validate(port, HOST);

        assertThat(result.problem()).isEqualTo(ProblemType.CONNECTION);
        assertThat(result.detail()).isEqualTo("redirect loop: " + url(port, PATH) + " was already visited");
        assertThat(requests).hasSize(2);
    }

    @Test
    void tenRedirectsAreFollowed() throws IOException {
        int port = serveRedirectChain(10);

        ValidationResult result = validate(port, HOST);

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(requests).hasSize(11);
    }

    @Test
    void anEleventhRedirectIsNot() throws IOException {
        int port = serveRedirectChain(11);

        ValidationResult result = validate(port, HOST);

        assertThat(result.problem()).isEqualTo(ProblemType.CONNECTION);
        assertThat(result.detail()).isEqualTo("more than 10 redirects, the last from " + url(port, "/hop10"));
        assertThat(requests).hasSize(11);
    }

    @Test
    void aRedirectIntoABlockedNetworkIsRefusedWithoutConnectingThere() throws IOException {
        int port = startHttp();
        routes.put(PATH, redirect(302, "http://10.0.0.1:" + port + "/internal"));
        Fixtures.RecordingConnector connector = new Fixtures.RecordingConnector();

        ValidationResult result = Fixtures.settings().http01Port(port).validator(dns, connector)
                .validate(check(Identifier.dns(HOST), ChallengeType.HTTP_01));

        assertThat(result.problem()).isEqualTo(ProblemType.CONNECTION);
        assertThat(result.detail()).isEqualTo("refusing to validate 10.0.0.1: 10.0.0.1 is in a blocked network"
                + " (private, 10.0.0.0/8); certplane.acme.validation.allowed-networks lists networks that may be"
                + " reached anyway");
        assertThat(connector.attempts).containsExactly(new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void aBodyLargerThanTheLimitWithContentLengthIsRefused() throws IOException {
        int port = serve(PATH, text(200, "x".repeat(257)));

        ValidationResult result = validate(Fixtures.settings().http01Port(port).maxResponseBytes(256), HOST);

        assertThat(result.problem()).isEqualTo(ProblemType.INCORRECT_RESPONSE);
        assertThat(result.detail()).isEqualTo("the response body from " + url(port, PATH)
                + " is larger than 256 bytes; a key authorization is about 90");
    }

    @Test
    void aChunkedBodyLargerThanTheLimitIsRefused() throws IOException {
        int port = serve(PATH, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    body.write("x".repeat(100).getBytes(StandardCharsets.US_ASCII));
                    body.flush();
                }
            }
        });

        ValidationResult result = validate(Fixtures.settings().http01Port(port).maxResponseBytes(256), HOST);

        assertThat(result.detail()).isEqualTo("the response body from " + url(port, PATH)
                + " is larger than 256 bytes; a key authorization is about 90");
    }

    @Test
    void aBodyWithoutLengthOrChunksIsReadToTheEndAndLimitedToo() throws IOException {
        raw = RawServer.http((socket, request) -> {
            RawServer.write(socket, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + "y".repeat(5000));
        });

        ValidationResult result = validate(Fixtures.settings().http01Port(raw.port()).maxResponseBytes(256), HOST);

        assertThat(result.detail()).isEqualTo("the response body from " + url(raw.port(), PATH)
                + " is larger than 256 bytes; a key authorization is about 90");
    }

    @Test
    void aBodyWithoutLengthOrChunksWithinTheLimitIsAccepted() throws IOException {
        raw = RawServer.http((socket, request) -> RawServer.write(socket, "HTTP/1.0 200 OK\r\n\r\n" + EXPECTED));

        ValidationResult result = validate(raw.port(), HOST);

        assertThat(result.valid()).as(result.detail()).isTrue();
    }

    @Test
    void aChunkedKeyAuthorizationIsReassembled() throws IOException {
        String first = EXPECTED.substring(0, 10);
        String second = EXPECTED.substring(10, 50);
        String third = EXPECTED.substring(50);
        raw = RawServer.http((socket, request) -> RawServer.write(socket, "HTTP/1.1 200 OK\r\n"
                + "Transfer-Encoding: Chunked\r\n\r\n"
                + Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"
                + Integer.toHexString(second.length()).toUpperCase() + ";name=value\r\n" + second + "\r\n"
                + Integer.toHexString(third.length()) + "\n" + third + "\n"
                + "0\r\nTrailer: ignored\r\n\r\n"));

        ValidationResult result = validate(raw.port(), HOST);

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.record()).contains("GET " + url(raw.port(), PATH) + ": HTTP 200, " + EXPECTED.length()
                + " bytes");
    }

    @Test
    void aChunkedResponseFromTheJdkServerIsAccepted() throws IOException {
        int port = serve(PATH, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(EXPECTED.substring(0, 40).getBytes(StandardCharsets.US_ASCII));
                body.flush();
                body.write(EXPECTED.substring(40).getBytes(StandardCharsets.US_ASCII));
            }
        });

        assertThat(validate(port, HOST).valid()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SSH-2.0-OpenSSH_9.2\\r\\n                                 | {url} did not answer with HTTP/1.x (first line: \"SSH-2.0-OpenSSH_9.2\")",
        "HTTP/2 200\\r\\n\\r\\n                                      | {url} did not answer with HTTP/1.x (first line: \"HTTP/2 200\")",
        "HTTP/1.1 2000 OK\\r\\n\\r\\n                                | {url} did not answer with HTTP/1.x (first line: \"HTTP/1.1 2000 OK\")",
        "HTTP/1.1 200 OK\\r\\nContent-Le                          | {url} closed the connection before a complete HTTP response",
        "''                                                      | {url} closed the connection before a complete HTTP response",
        "HTTP/1.1 200 OK\\r\\nContent-Length: 100\\r\\n\\r\\nshort    | {url} closed the connection in the middle of the body",
        "HTTP/1.1 200 OK\\r\\nContent-Length: ninety\\r\\n\\r\\n       | {url} sent a malformed Content-Length \"ninety\"",
        "HTTP/1.1 200 OK\\r\\nContent-Length: -1\\r\\n\\r\\n           | {url} sent a malformed Content-Length \"-1\"",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n-5\\r\\n | {url} sent a malformed chunk size \"-5\"",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n | {url} sent a malformed chunk size \"zz\""})
    void aMalformedResponseIsNamedPrecisely(String response, String detail) throws IOException {
        String bytes = response.replace("\\r", "\r").replace("\\n", "\n");
        raw = RawServer.http((socket, request) -> RawServer.write(socket, bytes));

        ValidationResult result = validate(raw.port(), HOST);

        assertThat(result.valid()).isFalse();
        assertThat(result.detail()).isEqualTo(detail.replace("{url}", url(raw.port(), PATH)));
    }

    @Test
    void tooManyHeadersAreRefused() throws IOException {
        raw = RawServer.http((socket, request) -> RawServer.write(socket, "HTTP/1.1 200 OK\r\n"
                + "X-Filler: 1\r\n".repeat(101) + "\r\n" + EXPECTED));

        ValidationResult result = validate(raw.port(), HOST);

        assertThat(result.detail()).isEqualTo(url(raw.port(), PATH) + " sent more than 100 headers or 16384 bytes of them");
    }

    @Test
    void anEndlessHeaderLineIsRefused() throws IOException {
        raw = RawServer.http((socket, request) -> RawServer.write(socket, "HTTP/1.1 200 OK\r\nX-Long: "
                + "a".repeat(20_000) + "\r\n\r\n"));

        ValidationResult result = validate(raw.port(), HOST);

        assertThat(result.detail()).isEqualTo(url(raw.port(), PATH) + " sent a line longer than 16384 bytes");
    }

    @Test
    void aServerThatNeverAnswersFailsAfterTheReadTimeout() throws IOException {
        raw = RawServer.http((socket, request) -> RawServer.holdOpen(socket));

        ValidationResult result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> validate(
                Fixtures.settings().http01Port(raw.port()).readTimeout(Duration.ofMillis(300)), HOST));

        assertThat(result.problem()).isEqualTo(ProblemType.CONNECTION);
        assertThat(result.detail()).isEqualTo(url(raw.port(), PATH) + " sent no response within 300 ms");
    }

    @Test
    void aServerThatNeverAnswersFailsAtTheDeadlineWhenThatComesFirst() throws IOException {
        raw = RawServer.http((socket, request) -> RawServer.holdOpen(socket));
        long start = System.nanoTime();

        ValidationResult result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> validate(Fixtures.settings()
                .http01Port(raw.port()).readTimeout(Duration.ofSeconds(10)).deadline(Duration.ofSeconds(1)), HOST));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
        assertThat(result.problem()).isEqualTo(ProblemType.CONNECTION);
        assertThat(result.detail()).isEqualTo("validation did not finish within 1 s (certplane.acme.validation.deadline)");
    }

    @Test
    void aServerTricklingOneByteAtATimeCannotOutlastTheDeadline() throws IOException {
        raw = RawServer.http((socket, request) -> {
            for (byte b : ("HTTP/1.1 200 OK\r\nContent-Length: " + EXPECTED.length() + "\r\n\r\n" + EXPECTED)
                    .getBytes(StandardCharsets.US_ASCII)) {
                socket.getOutputStream().write(b);
                socket.getOutputStream().flush();
                Thread.sleep(300);
            }
        });
        long start = System.nanoTime();

        ValidationResult result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> validate(Fixtures.settings()
                .http01Port(raw.port()).readTimeout(Duration.ofSeconds(10)).deadline(Duration.ofSeconds(1)), HOST));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
        assertThat(result.detail()).isEqualTo("validation did not finish within 1 s (certplane.acme.validation.deadline)");
    }

    @Test
    void aClosedPortIsAConnectionProblemNamingTheAddress() throws IOException {
        int port = closedPort();

        ValidationResult result = validate(port, HOST);

        assertThat(result.problem()).isEqualTo(ProblemType.CONNECTION);
        assertThat(result.detail()).isEqualTo("could not connect to " + HOST + " on port " + port + " (127.0.0.1:" + port
                + ": Connection refused)");
        assertThat(result.record()).contains("could not connect to 127.0.0.1:" + port + ": Connection refused");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.1    | private, 10.0.0.0/8",
        "169.254.1.1 | link-local, 169.254.0.0/16",
        "127.0.0.1   | loopback, 127.0.0.0/8"})
    void aNameInABlockedNetworkIsRefusedWithoutAnyConnectionAttempt(String address, String network) {
        FakeDns internal = new FakeDns("fake").a("internal.example.test", address);
        Fixtures.RecordingConnector connector = new Fixtures.RecordingConnector();

        ValidationResult result = Fixtures.settings().allowedNetworks().validator(internal, connector)
                .validate(check(Identifier.dns("internal.example.test"), ChallengeType.HTTP_01));

        assertThat(connector.attempts).isEmpty();
        assertThat(result.problem()).isEqualTo(ProblemType.CONNECTION);
        assertThat(result.detail()).isEqualTo("refusing to validate internal.example.test: " + address
                + " is in a blocked network (" + network + "); certplane.acme.validation.allowed-networks lists"
                + " networks that may be reached anyway");
    }

    @Test
    void anUnknownNameIsADnsProblem() {
        ValidationResult result = Fixtures.settings().validator(dns)
                .validate(check(Identifier.dns("nx.example.test"), ChallengeType.HTTP_01));

        assertThat(result.problem()).isEqualTo(ProblemType.DNS);
        assertThat(result.detail()).isEqualTo("DNS problem: NXDOMAIN looking up A and AAAA for nx.example.test"
                + " (resolvers fake)");
    }

    @Test
    void aNameWithoutAddressesIsADnsProblem() {
        dns.exists("empty.example.test");

        ValidationResult result = Fixtures.settings().validator(dns)
                .validate(check(Identifier.dns("empty.example.test"), ChallengeType.HTTP_01));

        assertThat(result.problem()).isEqualTo(ProblemType.DNS);
        assertThat(result.detail()).isEqualTo("DNS problem: no A or AAAA records for empty.example.test"
                + " (resolvers fake)");
    }

    @Test
    void anIpv4IdentifierIsFetchedFromItselfWithItsAddressAsHost() throws IOException {
        int port = serve(PATH, text(200, EXPECTED));

        ValidationResult result = validate(port, Identifier.ip("127.0.0.1"));

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.detail()).isEqualTo("http-01 validated for 127.0.0.1");
        assertThat(requests).containsExactly("127.0.0.1:" + port + " " + PATH);
        assertThat(dns.queries).isEmpty();
    }

    @Test
    void anIpv6IdentifierIsBracketedInTheUrlAndTheHostHeader() throws IOException {
        int port = startHttp("::1");
        routes.put(PATH, text(200, EXPECTED));

        ValidationResult result = validate(port, Identifier.ip("0:0:0:0:0:0:0:1"));

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(requests).containsExactly("[::1]:" + port + " " + PATH);
        assertThat(result.record()).contains("connected to [::1]:" + port,
                "GET http://[::1]:" + port + PATH + ": HTTP 200, " + EXPECTED.length() + " bytes");
    }

    @Test
    void theHostHeaderLeavesOutTheStandardPort() throws IOException {
        raw = RawServer.http((socket, request) -> RawServer.write(socket, "HTTP/1.1 200 OK\r\nContent-Length: "
                + EXPECTED.length() + "\r\n\r\n" + EXPECTED));
        int rawPort = raw.port();
        // Validation believes it talks to port 80; the connector takes it to the test server instead.
        Connector toTestServer = (address, timeout) -> Connector.PLAIN.connect(
                new InetSocketAddress(address.getAddress(), rawPort), timeout);

        ValidationResult result = Fixtures.settings().validator(dns, toTestServer)
                .validate(check(Identifier.dns(HOST), ChallengeType.HTTP_01));

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(raw.requests).singleElement().satisfies(r -> assertThat(r)
                .startsWith("GET " + PATH + " HTTP/1.1\r\nHost: " + HOST + "\r\n")
                .contains("\r\nConnection: close\r\n"));
    }

    private ValidationResult validate(int port, String host) {
        return validate(Fixtures.settings().http01Port(port), host);
    }

    private ValidationResult validate(int port, Identifier identifier) {
        return Fixtures.settings().http01Port(port).validator(dns)
                .validate(check(identifier, ChallengeType.HTTP_01));
    }

    private ValidationResult validate(Fixtures.Settings settings, String host) {
        return settings.validator(dns).validate(check(Identifier.dns(host), ChallengeType.HTTP_01));
    }

    /** Starts the HTTP server with one route and returns its port. */
    private int serve(String path, HttpHandler handler) throws IOException {
        int port = startHttp();
        routes.put(path, handler);
        return port;
    }

    private int startHttp() throws IOException {
        return startHttp("127.0.0.1");
    }

    private int startHttp(String address) throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
        http.createContext("/", this::route);
        http.start();
        return http.getAddress().getPort();
    }

    /** Redirects /.well-known/… → /hop1 → … → /hop{count}, which answers with the key authorization. */
    private int serveRedirectChain(int count) throws IOException {
        int port = serve(PATH, redirect(302, "/hop1"));
        for (int i = 1; i < count; i++) {
            routes.put("/hop" + i, redirect(302, "/hop" + (i + 1)));
        }
        routes.put("/hop" + count, text(200, EXPECTED));
        return port;
    }

    private void route(HttpExchange exchange) throws IOException {
        requests.add(exchange.getRequestHeaders().getFirst("Host") + " " + exchange.getRequestURI());
        HttpHandler handler = routes.get(exchange.getRequestURI().getPath());
        if (handler == null) {
            text(404, "not found").handle(exchange);
        } else {
            handler.handle(exchange);
        }
        exchange.close();
    }

    private static HttpHandler text(int status, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        };
    }

    private static HttpHandler redirect(int status, String location) {
        return exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(status, -1);
        };
    }

    private static String url(int port, String path) {
        return "http://" + HOST + ":" + port + path;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
