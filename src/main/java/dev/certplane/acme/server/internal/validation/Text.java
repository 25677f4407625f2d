package dev.certplane.acme.server.internal.validation;

/** Text a validated server sent, made safe to quote in an error: printable ASCII only, and short. */
final class Text {

    private static final int MAX = 100;

    private Text() {
    }

    static String excerpt(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > MAX ? out + "…" : out.toString();
    }
}
