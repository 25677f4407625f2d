package dev.certplane.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/** The load client's HTTP/1.1 parsing and connection reuse, over plain TCP on loopback. */
class Http1ConnectionTest {

    private static Http1Connection.Response parse(String raw, boolean head) throws IOException {
        return Http1Connection.readResponse(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)), head);
    }

    @Test
    void contentLengthBodyAndCaseInsensitiveRepeatedHeaders() throws IOException {
        Http1Connection.Response r = parse("HTTP/1.1 201 Created\r\nlink: <a>;rel=\"up\"\r\nReplay-Nonce: n1\r\n"
                + "LINK: <b>;rel=\"index\"\r\nContent-Length: 5\r\n\r\nhello", false);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text()).isEqualTo("hello");
        assertThat(r.keepAlive()).isTrue();
        assertThat(r.headers().allValues("Link")).containsExactly("<a>;rel=\"up\"", "<b>;rel=\"index\"");
        assertThat(r.headers().firstValue("replay-nonce")).contains("n1");
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() throws IOException {
        Http1Connection.Response r = parse("HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n1\r\n \r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: t\r\n\r\n", false);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("hello 0123456789abcdef");
        assertThat(r.headers().firstValue("x-trailer")).contains("t");
        assertThat(r.keepAlive()).isTrue();
    }

    @Test
    void largeChunkedBodyAcrossBufferRefills() throws IOException {
        StringBuilder raw = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String chunk = String.valueOf((char) ('a' + i % 26)).repeat(1000 + i);
            raw.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            expected.append(chunk);
        }
        raw.append("0\r\n\r\n");
        assertThat(parse(raw.toString(), false).text()).isEqualTo(expected.toString());
    }

    @Test
    void noBodyForHeadOr204AndInterimAnswersSkipped() throws IOException {
        Http1Connection.Response head = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nReplay-Nonce: x\r\n\r\n", true);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Replay-Nonce")).contains("x");
        assertThat(parse("HTTP/1.1 204 No Content\r\n\r\n", false).body()).isEmpty();
        Http1Connection.Response r = parse(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("ok");
    }

    @Test
    void connectionCloseAndHttp10AndBodyToEnd() throws IOException {
        assertThat(parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", false)
                .keepAlive()).isFalse();
        assertThat(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false).keepAlive()).isFalse();
        assertThat(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", false)
                .keepAlive()).isTrue();
        Http1Connection.Response r = parse("HTTP/1.1 200 OK\r\n\r\nuntil the end", false);
        assertThat(r.text()).isEqualTo("until the end");
        assertThat(r.keepAlive()).isFalse();
    }

    @Test
    void foldedHeadersAndBareLineFeeds() throws IOException {
        Http1Connection.Response r = parse("HTTP/1.1 200 OK\nX-Folded: a\n  b\nContent-Length: 1\n\nz", false);
        assertThat(r.headers().firstValue("x-folded")).contains("a b");
        assertThat(r.text()).isEqualTo("z");
    }

    @Test
    void truncatedOrMalformedAnswersFail() {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", false))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", false))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH\r\n\r\n", false)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", false))
                .isInstanceOf(IOException.class);
    }

    @Test
    void keepsTheConnectionAndReconnectsWhenTheServerClosesIt() throws Exception {
        // The server answers two requests per connection, the second with Connection: close.
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> serve(server, requests, n -> switch (n % 3) {
                case 0 -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n0\r\n\r\n";
                case 1 -> "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\ntwo";
                default -> null;
            }));
            t.setDaemon(true);
            t.start();
            String base = "http://127.0.0.1:" + server.getLocalPort();
            try (Http1Connection c = new Http1Connection(null, null, "test", 5000, 5000)) {
                Http1Connection.Response r1 = c.exchange("POST", base + "/a?x=1", "{}".getBytes(),
                        "application/jose+json", null);
                assertThat(r1.text()).isEqualTo("one");
                assertThat(c.exchange("GET", base + "/b", null, null, null).text()).isEqualTo("two");
                assertThat(c.connections()).isEqualTo(1);
                // closed after Connection: close, so the next request opens a new connection
                assertThat(c.exchange("GET", base + "/c", null, null, null).text()).isEqualTo("one");
                assertThat(c.connections()).isEqualTo(2);
                assertThat(c.exchange("GET", base + "/d", null, null, null).text()).isEqualTo("two");
                assertThat(c.connections()).isEqualTo(2);
            }
            assertThat(requests.get(0)).startsWith("POST /a?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + server.getLocalPort()
                    + "\r\nUser-Agent: test\r\nContent-Type: application/jose+json\r\nContent-Length: 2\r\n\r\n");
            assertThat(requests.get(1)).startsWith("GET /b HTTP/1.1\r\n").doesNotContain("Content-Length");
        }
    }

    @Test
    void resendsOnceWhenAReusedConnectionWasClosedUnanswered() throws Exception {
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            // each connection: one answer, then the next request is dropped with the connection
            Thread t = new Thread(() -> serve(server, requests,
                    n -> n % 2 == 0 ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" : null));
            t.setDaemon(true);
            t.start();
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/";
            try (Http1Connection c = new Http1Connection(null, null, "test", 5000, 5000)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(c.exchange("GET", url, null, null, null).text()).isEqualTo("ok");
                }
                assertThat(c.connections()).isEqualTo(3);
            }
        }
    }

    @Test
    void requestTargetsFromAbsoluteUrls() throws Exception {
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> serve(server, requests, n -> "HTTP/1.1 204 No Content\r\n\r\n"));
            t.setDaemon(true);
            t.start();
            String base = "http://127.0.0.1:" + server.getLocalPort();
            try (Http1Connection c = new Http1Connection(null, null, "test", 5000, 5000)) {
                for (String url : List.of(base, base + "/a/b?c=d&e=%20", base + "/x#fragment", base + "/y?q=\u00e9",
                        "http://localhost:" + server.getLocalPort() + "/other-host")) {
                    assertThat(c.exchange("HEAD", url, null, null, null).status()).isEqualTo(204);
                }
                assertThat(c.connections()).isEqualTo(2);
            }
            String host = "\r\nHost: 127.0.0.1:" + server.getLocalPort();
            assertThat(requests).extracting(r -> r.substring(0, r.indexOf("\r\nUser-Agent"))).containsExactly(
                    "HEAD / HTTP/1.1" + host,
                    "HEAD /a/b?c=d&e=%20 HTTP/1.1" + host,
                    "HEAD /x HTTP/1.1" + host,
                    "HEAD /y?q=%C3%A9 HTTP/1.1" + host,
                    "HEAD /other-host HTTP/1.1\r\nHost: localhost:" + server.getLocalPort());
        }
    }

    /** Serves connections one after the other; a null answer closes the connection without answering. */
    private static void serve(ServerSocket server, List<String> requests, Function<Integer, String> answer) {
        try {
            for (;;) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    for (int n = 0;; n++) {
                        String request = readRequest(in);
                        if (request == null) {
                            break;
                        }
                        requests.add(request);
                        String a = answer.apply(n);
                        if (a == null) {
                            break;
                        }
                        out.write(a.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                }
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String s = head.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                int i = s.indexOf("Content-Length: ");
                if (i >= 0) {
                    int length = Integer.parseInt(s.substring(i + 16, s.indexOf('\r', i)));
                    s += new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
                }
                return s;
            }
        }
        return null;
    }
}
