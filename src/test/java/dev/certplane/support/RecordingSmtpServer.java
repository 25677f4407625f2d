package dev.certplane.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Enough of an SMTP server (RFC 5321) to receive mail in tests: greeting, EHLO/HELO, MAIL, RCPT, DATA with
 * dot-unstuffing, RSET, NOOP, QUIT, on loopback, one thread per client. It records each accepted message; a
 * recipient it is told to refuse gets 550.
 */
public final class RecordingSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    /** An accepted message: the envelope and the data as sent (CRLF line ends, dot-stuffing removed). */
    public record Message(String ehlo, String mailFrom, List<String> rcptTo, String data) {

        /** The header fields, names lower-case; folded lines are joined. */
        public Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            String head = data.substring(0, data.indexOf("\r\n\r\n")).replace("\r\n ", " ");
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            return headers;
        }

        /** The body, decoded when it is base64. */
        public String text() {
            String body = data.substring(data.indexOf("\r\n\r\n") + 4);
            if ("base64".equalsIgnoreCase(headers().get("content-transfer-encoding"))) {
                return new String(Base64.getMimeDecoder().decode(body), StandardCharsets.UTF_8);
            }
            return body;
        }
    }

    public RecordingSmtpServer() {
        try {
            socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::serve, "recording-smtp-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String host() {
        return socket.getInetAddress().getHostAddress();
    }

    /** RCPT TO this address is answered 550. */
    public RecordingSmtpServer refuse(String recipient) {
        refused.add(recipient);
        return this;
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread thread = new Thread(() -> {
                    try (client) {
                        client.setSoTimeout(10_000);
                        converse(client);
                    } catch (IOException e) {
                        // a client that went away
                    }
                }, "recording-smtp-client");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                // the socket closing
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = client.getOutputStream();
        send(out, "220 smtp.notify.test ESMTP recording server");
        String ehlo = null;
        String from = null;
        List<String> to = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("EHLO ") || upper.startsWith("HELO ")) {
                ehlo = line.substring(5).trim();
                send(out, upper.startsWith("EHLO") ? "250-smtp.notify.test\r\n250-8BITMIME\r\n250 SIZE 1000000"
                        : "250 smtp.notify.test");
            } else if (upper.startsWith("MAIL FROM:")) {
                if (ehlo == null) {
                    send(out, "503 5.5.1 EHLO first");
                    continue;
                }
                from = address(line.substring(10));
                to.clear();
                send(out, "250 2.1.0 ok");
            } else if (upper.startsWith("RCPT TO:")) {
                if (from == null) {
                    send(out, "503 5.5.1 MAIL first");
                    continue;
                }
                String recipient = address(line.substring(8));
                if (refused.contains(recipient)) {
                    send(out, "550 5.1.1 <" + recipient + "> no such mailbox here");
                } else {
                    to.add(recipient);
                    send(out, "250 2.1.5 ok");
                }
            } else if (upper.equals("DATA")) {
                if (to.isEmpty()) {
                    send(out, "554 5.5.1 no valid recipients");
                    continue;
                }
                send(out, "354 end data with <CR><LF>.<CR><LF>");
                StringBuilder data = new StringBuilder();
                String dataLine;
                while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                    data.append(dataLine.startsWith(".") ? dataLine.substring(1) : dataLine).append("\r\n");
                }
                messages.add(new Message(ehlo, from, List.copyOf(to), data.toString()));
                from = null;
                to.clear();
                send(out, "250 2.0.0 queued");
            } else if (upper.equals("RSET")) {
                from = null;
                to.clear();
                send(out, "250 2.0.0 ok");
            } else if (upper.equals("NOOP")) {
                send(out, "250 2.0.0 ok");
            } else if (upper.equals("QUIT")) {
                send(out, "221 2.0.0 bye");
                return;
            } else {
                send(out, "502 5.5.2 command not implemented");
            }
        }
    }

    private static String address(String argument) {
        String a = argument.trim();
        int end = a.indexOf('>');
        return a.startsWith("<") && end > 0 ? a.substring(1, end) : a;
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
