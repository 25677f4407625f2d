package dev.certplane.bench;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal HTTP/1.1 client over one persistent connection (TLS for {@code https}, plain TCP for {@code http}),
 * for one thread at a time. It exists because {@code java.net.http.HttpClient} costs the load client far more CPU
 * per request than the server under test can spare on a shared machine.
 *
 * <p>Each request is written as one buffer; the response is read from a {@link BufferedInputStream}: status line,
 * headers (names case-insensitive, every value of a repeated header kept), body by {@code Content-Length}, by
 * {@code Transfer-Encoding: chunked} or, failing both, up to the end of the connection. HEAD, 1xx, 204 and 304
 * answers have no body; interim 1xx answers are skipped. The connection is kept open between requests and closed
 * when the server answers {@code Connection: close} (Tomcat does after 100 requests by default), when the body ends
 * with the connection, or on any error. A request on a reused connection that the server closed in the meantime
 * (nothing of the answer read yet) is sent once more on a new connection. Reads time out after
 * {@code readTimeoutMillis} without data.
 */
final class Http1Connection implements Closeable {

    /** TLS 1.3 preferred, TLS 1.2 accepted. */
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final long MAX_BODY = 64L * 1024 * 1024;
    private static final byte[] NO_BODY = new byte[0];

    private final SSLSocketFactory tls;
    /** Offered first; the JDK's defaults if the server accepts none of them. */
    private final List<String> preferredCipherSuites;
    private boolean preferredCipherSuitesRefused;
    private final String userAgent;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    private Socket socket;
    private Input in;
    private OutputStream out;
    /** scheme://host:port of the open connection. */
    private String origin;
    private byte[] request = new byte[4096];
    /** The last URL's parts, for the next one with the same scheme and authority. */
    private Target last;
    private int connections;

    /**
     * @param tls the factory for {@code https} connections; null allows {@code http} only
     * @param preferredCipherSuites the only ones offered while the server accepts one of them; null or empty for the
     *     JDK's defaults
     */
    Http1Connection(SSLSocketFactory tls, List<String> preferredCipherSuites, String userAgent,
            int connectTimeoutMillis, int readTimeoutMillis) {
        this.tls = tls;
        this.preferredCipherSuites = preferredCipherSuites == null ? List.of() : List.copyOf(preferredCipherSuites);
        this.userAgent = userAgent;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** Connections opened so far (the first one included). */
    int connections() {
        return connections;
    }

    /**
     * Sends one request and reads its answer.
     *
     * @param body null for none (no Content-Type or Content-Length is sent then)
     * @param contentType sent with a body
     * @param accept null for no Accept header
     */
    Response exchange(String method, String url, byte[] body, String contentType, String accept) throws IOException {
        Target t = target(url);
        int length = writeRequest(method, t, body, contentType, accept);
        boolean head = "HEAD".equals(method);
        for (int attempt = 0;; attempt++) {
            boolean reused = socket != null && t.origin.equals(origin);
            if (!reused) {
                close();
                connect(t);
            }
            boolean answered = false;
            try {
                out.write(request, 0, length);
                out.flush();
                int first = in.read();
                if (first < 0) {
                    throw new EOFException("the server closed the connection without answering");
                }
                answered = true;
                Response r = readResponse(in, first, head);
                if (!r.keepAlive) {
                    close();
                }
                return r;
            } catch (IOException e) {
                close();
                // Sent again only when a reused connection ended before any answer: the server most likely closed it
                // while idle. (Had it acted on the request, an ACME server refuses the repeated nonce with badNonce,
                // which the caller retries.) A time-out means it is slow, not gone: no second try.
                if (answered || !reused || attempt > 0 || e instanceof SocketTimeoutException) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        origin = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void connect(Target t) throws IOException {
        if (!t.https) {
            open(t, null);
            return;
        }
        if (tls == null) {
            throw new IOException("no TLS configured for " + t.origin);
        }
        if (preferredCipherSuites.isEmpty() || preferredCipherSuitesRefused) {
            open(t, null);
            return;
        }
        try {
            open(t, preferredCipherSuites);
        } catch (SSLHandshakeException e) {
            // e.g. no cipher suite in common: offer the JDK's defaults from now on
            preferredCipherSuitesRefused = true;
            open(t, null);
        }
    }

    private void open(Target t, List<String> cipherSuites) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(t.socketHost, t.port), connectTimeoutMillis);
            raw.setSoTimeout(readTimeoutMillis);
            Socket s = raw;
            if (t.https) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(raw, t.socketHost, t.port, true);
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                List<String> supported = Arrays.asList(ssl.getSupportedProtocols());
                p.setProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
                if (cipherSuites != null) {
                    List<String> available = Arrays.asList(ssl.getSupportedCipherSuites());
                    String[] offered = cipherSuites.stream().filter(available::contains).toArray(String[]::new);
                    if (offered.length > 0) {
                        p.setCipherSuites(offered);
                    }
                }
                p.setApplicationProtocols(new String[] {"http/1.1"});
                ssl.setSSLParameters(p);
                ssl.startHandshake();
                s = ssl;
            }
            socket = s;
            in = new Input(s.getInputStream());
            out = s.getOutputStream();
            origin = t.origin;
            connections++;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------- request

    private int writeRequest(String method, Target t, byte[] body, String contentType, String accept) {
        int n = 0;
        n = put(n, method, true);
        n = put(n, " ", false);
        n = put(n, t.requestTarget, true);
        n = put(n, " HTTP/1.1\r\nHost: ", false);
        n = put(n, t.hostHeader, true);
        n = put(n, "\r\nUser-Agent: ", false);
        n = put(n, userAgent, true);
        if (accept != null) {
            n = put(n, "\r\nAccept: ", false);
            n = put(n, accept, true);
        }
        if (body != null) {
            n = put(n, "\r\nContent-Type: ", false);
            n = put(n, contentType, true);
            n = put(n, "\r\nContent-Length: ", false);
            n = put(n, Integer.toString(body.length), false);
        }
        n = put(n, "\r\n\r\n", false);
        if (body != null) {
            ensure(n + body.length);
            System.arraycopy(body, 0, request, n, body.length);
            n += body.length;
        }
        return n;
    }

    /**
     * Request heads are ASCII: URLs are sent in their ASCII form, header values are ours.
     *
     * @param check whether {@code s} is a value, to be refused if it has anything but printable ASCII
     */
    private int put(int n, String s, boolean check) {
        int len = s.length();
        ensure(n + len);
        byte[] r = request;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (check && (c > 0x7e || c < 0x20)) {
                throw new IllegalArgumentException("not printable ASCII: " + s);
            }
            r[n + i] = (byte) c;
        }
        return n + len;
    }

    private void ensure(int capacity) {
        if (capacity > request.length) {
            request = Arrays.copyOf(request, Math.max(capacity, request.length * 2));
        }
    }

    /** A URL with the same scheme and authority as the last, and a plain path and query, needs no URI parsing. */
    private Target target(String url) {
        Target l = last;
        if (l != null && l.prefix.length() < url.length() && url.startsWith(l.prefix)
                && url.charAt(l.prefix.length()) == '/' && Target.isPlain(url, l.prefix.length())) {
            return l.with(url.substring(l.prefix.length()));
        }
        return last = Target.of(url);
    }

    /**
     * Where a request goes, from its absolute URL.
     *
     * @param prefix the URL's scheme and authority as written
     */
    private record Target(boolean https, String socketHost, int port, String hostHeader, String requestTarget,
            String origin, String prefix) {

        Target with(String requestTarget) {
            return new Target(https, socketHost, port, hostHeader, requestTarget, origin, prefix);
        }

        /** Only characters a path or query may hold as they are (RFC 3986 3.3, 3.4): no fragment, no escaping. */
        static boolean isPlain(String s, int from) {
            for (int i = from; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "-._~!$&'()*+,;=:@/?%".indexOf(c) >= 0;
                if (!plain) {
                    return false;
                }
            }
            return true;
        }

        static Target of(String url) {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean https = scheme.equals("https");
            if (!https && !scheme.equals("http")) {
                throw new IllegalArgumentException("not an http(s) URL: " + url);
            }
            String host = u.getHost();
            if (host == null) {
                throw new IllegalArgumentException("no host in " + url);
            }
            int port = u.getPort() == -1 ? (https ? 443 : 80) : u.getPort();
            String socketHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            String hostHeader = u.getPort() == -1 ? host : host + ":" + port;
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            String target = u.getRawQuery() == null ? path : path + "?" + u.getRawQuery();
            if (!isAscii(target)) {
                URI ascii = URI.create(u.toASCIIString());
                path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
                target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
            }
            String prefix = u.getRawUserInfo() == null && u.getRawFragment() == null
                    ? url.substring(0, url.indexOf("//") + 2 + u.getRawAuthority().length()) : "\0";
            return new Target(https, socketHost, port, hostHeader, target, scheme + "://" + hostHeader, prefix);
        }

        private static boolean isAscii(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0x7f) {
                    return false;
                }
            }
            return true;
        }
    }

    // ---------------------------------------------------------------------------------------------- response

    /** An answer; its body is empty for HEAD, 1xx, 204 and 304. */
    record Response(int status, Headers headers, byte[] body, boolean keepAlive) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Header fields by case-insensitive name, every value of a repeated field in order. */
    static final class Headers {
        private final Map<String, List<String>> fields = new HashMap<>();

        void add(String name, String value) {
            fields.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(value);
        }

        Optional<String> firstValue(String name) {
            List<String> values = fields.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        List<String> allValues(String name) {
            List<String> values = fields.get(name.toLowerCase(Locale.ROOT));
            return values == null ? List.of() : List.copyOf(values);
        }

        /** Whether a comma-separated field (Connection, Transfer-Encoding) has the token, in any of its values. */
        boolean hasToken(String name, String token) {
            for (String value : allValues(name)) {
                for (String t : value.split(",")) {
                    if (t.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return fields.toString();
        }
    }

    /** Reads one answer from {@code in}; package-private for tests. */
    static Response readResponse(InputStream stream, boolean head) throws IOException {
        Input in = stream instanceof Input i ? i : new Input(stream);
        int first = in.read();
        if (first < 0) {
            throw new EOFException("no answer");
        }
        return readResponse(in, first, head);
    }

    private static Response readResponse(Input in, int first, boolean head) throws IOException {
        for (;;) {
            String statusLine = in.readLine(first);
            first = -1;
            // HTTP/1.x SSS[ reason]
            if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")
                    || (statusLine.length() > 12 && statusLine.charAt(12) != ' ') || statusLine.charAt(8) != ' ') {
                throw new IOException("malformed status line: " + abbreviate(statusLine));
            }
            int status;
            try {
                status = Integer.parseInt(statusLine, 9, 12, 10);
            } catch (NumberFormatException e) {
                throw new IOException("malformed status line: " + abbreviate(statusLine));
            }
            boolean http10 = statusLine.charAt(7) == '0';
            Headers headers = readHeaders(in);
            if (status >= 100 && status < 200 && status != 101) {
                continue;  // interim answer (100 Continue, 103 Early Hints): the real one follows
            }
            boolean keepAlive = http10 ? headers.hasToken("Connection", "keep-alive")
                    : !headers.hasToken("Connection", "close");
            if (head || status == 204 || status == 304 || (status >= 100 && status < 200)) {
                return new Response(status, headers, NO_BODY, keepAlive && status != 101);
            }
            List<String> encodings = headers.allValues("Transfer-Encoding");
            if (!encodings.isEmpty()) {
                String[] codings = String.join(",", encodings).split(",");
                if (codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) {
                    return new Response(status, headers, readChunked(in, headers), keepAlive);
                }
                return new Response(status, headers, readToEnd(in), false);
            }
            List<String> lengths = headers.allValues("Content-Length");
            if (!lengths.isEmpty()) {
                long length = contentLength(lengths);
                if (length > MAX_BODY) {
                    throw new IOException("body of " + length + " bytes is too large");
                }
                byte[] body = in.readNBytes((int) length);
                if (body.length != length) {
                    throw new EOFException("body ended after " + body.length + " of " + length + " bytes");
                }
                return new Response(status, headers, body, keepAlive);
            }
            return new Response(status, headers, readToEnd(in), false);
        }
    }

    private static Headers readHeaders(Input in) throws IOException {
        Headers headers = new Headers();
        String name = null;
        StringBuilder value = null;
        for (int count = 0;; count++) {
            if (count > MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " header lines");
            }
            String line = in.readLine(-1);
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (name == null) {
                    throw new IOException("header continuation without a header: " + abbreviate(line));
                }
                value.append(' ').append(line.trim());  // obsolete line folding (RFC 9112 5.2)
                continue;
            }
            if (name != null) {
                headers.add(name, value.toString().trim());
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + abbreviate(line));
            }
            name = line.substring(0, colon).trim();
            value = new StringBuilder(line.length() - colon).append(line, colon + 1, line.length());
        }
    }

    private static long contentLength(List<String> values) throws IOException {
        long length = -1;
        for (String v : values) {
            for (String part : v.split(",")) {
                long l;
                try {
                    l = Long.parseLong(part.trim());
                } catch (NumberFormatException e) {
                    throw new IOException("malformed Content-Length: " + v);
                }
                if (l < 0 || (length >= 0 && l != length)) {
                    throw new IOException("invalid Content-Length: " + values);
                }
                length = l;
            }
        }
        return length;
    }

    /** RFC 9112 7.1: chunk-size [; extensions] CRLF data CRLF ... 0 CRLF trailers CRLF; trailers join the headers. */
    private static byte[] readChunked(Input in, Headers headers) throws IOException {
        byte[] body = new byte[1024];
        int length = 0;
        for (;;) {
            String line = in.readLine(-1);
            int end = line.indexOf(';');
            String hex = (end < 0 ? line : line.substring(0, end)).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size: " + abbreviate(line));
            }
            if (size < 0 || length + size > MAX_BODY) {
                throw new IOException("chunked body too large");
            }
            if (size == 0) {
                break;
            }
            if (length + size > body.length) {
                body = Arrays.copyOf(body, (int) Math.max(length + size, body.length * 2L));
            }
            int read = in.readNBytes(body, length, (int) size);
            if (read != size) {
                throw new EOFException("chunk ended after " + read + " of " + size + " bytes");
            }
            length += (int) size;
            if (!in.readLine(-1).isEmpty()) {
                throw new IOException("no CRLF after a chunk");
            }
        }
        Headers trailers = readHeaders(in);
        trailers.fields.forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        return length == body.length ? body : Arrays.copyOf(body, length);
    }

    private static byte[] readToEnd(Input in) throws IOException {
        byte[] body = in.readNBytes((int) MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new IOException("body too large");
        }
        return body;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /**
     * A {@link BufferedInputStream} that finds line ends in its own buffer rather than byte by byte through the
     * synchronized {@link #read()}.
     */
    private static final class Input extends BufferedInputStream {

        Input(InputStream in) {
            super(in, 16 * 1024);
        }

        /**
         * A line without its CRLF (or bare LF), as ISO-8859-1 (header octets beyond ASCII kept one char each).
         *
         * @param first a byte already read that starts the line, or -1
         */
        String readLine(int first) throws IOException {
            byte[] line = null;
            int length = 0;
            if (first >= 0) {
                if (first == '\n') {
                    return "";
                }
                line = new byte[128];
                line[length++] = (byte) first;
            }
            for (;;) {
                if (pos >= count) {
                    int b = read();  // refills the buffer
                    if (b < 0) {
                        throw new EOFException("the connection ended within a line");
                    }
                    pos--;  // read() consumed b from the refilled buffer: give it back
                    continue;
                }
                int start = pos;
                int i = start;
                while (i < count && buf[i] != '\n') {
                    i++;
                }
                int n = i - start;
                if (length + n > MAX_LINE) {
                    throw new IOException("line longer than " + MAX_LINE + " bytes");
                }
                if (line == null && i < count) {
                    // the whole line is in the buffer: no copy
                    pos = i + 1;
                    int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                    return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                }
                if (line == null) {
                    line = new byte[Math.max(128, n * 2)];
                } else if (length + n > line.length) {
                    line = Arrays.copyOf(line, Math.max(length + n, line.length * 2));
                }
                System.arraycopy(buf, start, line, length, n);
                length += n;
                if (i < count) {
                    pos = i + 1;
                    int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                    return new String(line, 0, end, StandardCharsets.ISO_8859_1);
                }
                pos = count;
            }
        }
    }
}
