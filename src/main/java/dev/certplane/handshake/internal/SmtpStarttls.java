package dev.certplane.handshake.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SMTP dialogue before a STARTTLS handshake (RFC 5321 4.2, RFC 3207): read the greeting, {@code EHLO}, check
 * that {@code STARTTLS} is offered, ask for it. Replies are read byte by byte so that nothing the TLS handshake
 * needs is buffered away, and bounded so that a hostile server cannot make the client read forever.
 */
final class SmtpStarttls {

    private static final int MAX_LINE = 1000;
    private static final int MAX_LINES = 100;

    private SmtpStarttls() {
    }

    static void negotiate(Socket tcp) throws IOException {
        InputStream in = tcp.getInputStream();
        OutputStream out = tcp.getOutputStream();
        expect(in, 220, "greeting");
        send(out, "EHLO " + addressLiteral(tcp.getLocalAddress()));
        List<String> capabilities = expect(in, 250, "EHLO");
        if (capabilities.stream().skip(1).noneMatch(line -> line.toUpperCase(Locale.ROOT).equals("STARTTLS"))) {
            throw new IOException("the SMTP server does not offer STARTTLS");
        }
        send(out, "STARTTLS");
        expect(in, 220, "STARTTLS");
    }

    /** RFC 5321 4.1.3: the client's own address, since it has no name the server could check. */
    private static String addressLiteral(InetAddress address) {
        return address instanceof Inet6Address ? "[IPv6:" + address.getHostAddress().replaceFirst("%.*$", "") + "]"
                : "[" + address.getHostAddress() + "]";
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The reply's text lines (code and separator removed); fails unless its code is {@code code}. */
    private static List<String> expect(InputStream in, int code, String step) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)
                    || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new IOException("the server's " + step + " reply is not SMTP: '" + printable(line) + "'");
            }
            if (Integer.parseInt(line.substring(0, 3)) != code) {
                throw new IOException("the SMTP server answered " + step + " with '" + printable(line) + "'");
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return lines;
            }
            if (lines.size() >= MAX_LINES) {
                throw new IOException("the SMTP server's " + step + " reply has more than " + MAX_LINES + " lines");
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the SMTP server closed the connection");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("the SMTP server sent a line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    private static String printable(String line) {
        String shown = line.length() > 100 ? line.substring(0, 100) + "..." : line;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
