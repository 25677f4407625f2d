package dev.certplane.inventory;

import java.util.List;

/**
 * Inventory rows as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes
 * doubled). A field that a spreadsheet would run as a formula (starting with {@code = + - @}, tab or carriage
 * return) gets a leading apostrophe, as OWASP's CSV injection guidance recommends.
 */
final class CsvRows {

    private static final List<String> COLUMNS = List.of("id", "subject_cn", "subject", "issuer_cn", "issuer", "names",
            "serial", "sha256", "sha1", "not_before", "not_after", "status", "rating", "key", "signature_algorithm",
            "is_ca", "source", "organization", "owner", "tags", "has_private_key");

    private CsvRows() {
    }

    static String header() {
        return String.join(",", COLUMNS) + "\r\n";
    }

    static String row(StoredCertificate c) {
        String key = c.keyAlgorithm() + " " + (c.keyCurve() != null ? c.keyCurve() : String.valueOf(c.keyBits()));
        List<String> fields = List.of(c.id(), c.subjectCommonName(), c.subject(), c.issuerCommonName(), c.issuer(),
                String.join(" ", c.names()), c.serial(), c.fingerprintSha256(), c.fingerprintSha1(),
                c.notBefore().toString(), c.notAfter().toString(), c.status().wire(), c.rating(), key,
                c.signatureAlgorithm(), String.valueOf(c.ca()), c.source(), nullToEmpty(c.organization()),
                nullToEmpty(c.owner()), String.join(" ", c.tags()), String.valueOf(c.hasPrivateKey()));
        StringBuilder line = new StringBuilder();
        for (String field : fields) {
            if (!line.isEmpty()) {
                line.append(',');
            }
            line.append(field(field));
        }
        return line.append("\r\n").toString();
    }

    static String field(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
