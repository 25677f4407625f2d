package dev.certplane.acme.server.internal.validation;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.certplane.acme.protocol.ProblemType;

/**
 * One HTTP/1.1 GET over a socket validation has already connected to a checked address. Written here rather
 * than taken from an HTTP client library because the client must not resolve the name again (that would let
 * DNS rebinding bypass the address check) and every byte read must count against the limits.
 */
final class HttpGet {

    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_HEADERS = 100;

    /** @param headers lower-case names, the first value of each */
    record Response(int status, Map<String, String> headers, byte[] body) {

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private HttpGet() {
    }

    /**
     * @param url how errors name the request
     * @param maxBody the largest body read; a larger one fails
     */
    static Response fetch(Socket socket, String hostHeader, String path, String url, int maxBody, Deadline deadline,
            Duration readTimeout) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: Certplane-Validation/1"
                    + "\r\nAccept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(new TimedInput(socket, deadline, readTimeout));
            String statusLine = line(in, url);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
                throw new ValidationFailure(ProblemType.CONNECTION, url + " did not answer with HTTP/1.x (first line: \""
                        + Text.excerpt(statusLine) + "\")");
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = headers(in, url);
            return new Response(status, headers, body(in, headers, url, maxBody));
        } catch (SocketTimeoutException e) {
            if (deadline.passed()) {
                throw deadline.expired();
            }
            throw new ValidationFailure(ProblemType.CONNECTION, url + " sent no response within "
                    + readTimeout.toMillis() + " ms");
        } catch (IOException e) {
            // Over TLS, the connection is closed at the deadline (Tls): that is the deadline, not a failed read.
            if (deadline.passed()) {
                throw deadline.expired();
            }
            throw new ValidationFailure(ProblemType.CONNECTION, "reading " + url + " failed: " + e.getMessage());
        }
    }

    private static Map<String, String> headers(InputStream in, String url) throws IOException {
        Map<String, String> headers = new HashMap<>();
        int bytes = 0;
        for (int count = 0; ; count++) {
            String line = line(in, url);
            if (line.isEmpty()) {
                return headers;
            }
            bytes += line.length();
            if (count >= MAX_HEADERS || bytes > MAX_HEADER_BYTES) {
                throw new ValidationFailure(ProblemType.CONNECTION, url + " sent more than " + MAX_HEADERS
                        + " headers or " + MAX_HEADER_BYTES + " bytes of them");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
    }

    private static byte[] body(InputStream in, Map<String, String> headers, String url, int maxBody) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            while (true) {
                String sizeLine = line(in, url);
                int semicolon = sizeLine.indexOf(';');
                String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
                long size;
                try {
                    size = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    size = -1;
                }
                // parseLong takes "-5" too: a negative size is malformed, not too large.
                if (size < 0) {
                    throw new ValidationFailure(ProblemType.CONNECTION, url + " sent a malformed chunk size \""
                            + Text.excerpt(hex) + "\"");
                }
                if (size == 0) {
                    return body.toByteArray();
                }
                if (body.size() + size > maxBody) {
                    throw tooLarge(url, maxBody);
                }
                copy(in, body, (int) size, url);
                line(in, url);
            }
        }
        String length = headers.get("content-length");
        if (length != null) {
            long size;
            try {
                size = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw new ValidationFailure(ProblemType.CONNECTION, url + " sent a malformed Content-Length \""
                        + Text.excerpt(length) + "\"");
            }
            if (size > maxBody) {
                throw tooLarge(url, maxBody);
            }
            copy(in, body, (int) size, url);
            return body.toByteArray();
        }
        byte[] buffer = new byte[1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            if (body.size() + n > maxBody) {
                throw tooLarge(url, maxBody);
            }
            body.write(buffer, 0, n);
        }
        return body.toByteArray();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, int size, String url) throws IOException {
        byte[] bytes = in.readNBytes(size);
        if (bytes.length < size) {
            throw new ValidationFailure(ProblemType.CONNECTION, url + " closed the connection in the middle of the body");
        }
        out.write(bytes);
    }

    /** One CRLF- (or LF-) terminated line, at most {@value #MAX_HEADER_BYTES} bytes. */
    private static String line(InputStream in, String url) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new ValidationFailure(ProblemType.CONNECTION, url + " closed the connection before a complete"
                        + " HTTP response");
            }
            if (line.size() >= MAX_HEADER_BYTES) {
                throw new ValidationFailure(ProblemType.CONNECTION, url + " sent a line longer than " + MAX_HEADER_BYTES
                        + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static ValidationFailure tooLarge(String url, int maxBody) {
        return new ValidationFailure(ProblemType.INCORRECT_RESPONSE, "the response body from " + url + " is larger than "
                + maxBody + " bytes; a key authorization is about 90");
    }

    /** Every read waits at most the read timeout and never past the deadline, so a trickling server cannot stall us. */
    private static final class TimedInput extends InputStream {

        private final Socket socket;
        private final InputStream in;
        private final Deadline deadline;
        private final Duration readTimeout;

        TimedInput(Socket socket, Deadline deadline, Duration readTimeout) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
            this.readTimeout = readTimeout;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(deadline.capMillis(readTimeout));
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout(deadline.capMillis(readTimeout));
            return in.read(b, off, len);
        }
    }
}
