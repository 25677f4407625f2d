package dev.certplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;

/** RFC 4180 quoting and spreadsheet-formula neutralisation of exported fields. */
class CsvRowsTest {

    @Test
    void fieldsThatNeedQuotingAreQuotedWithDoubledQuotes() {
        assertThat(CsvRows.field("plain")).isEqualTo("plain");
        assertThat(CsvRows.field("CN=a,O=b")).isEqualTo("\"CN=a,O=b\"");
        assertThat(CsvRows.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvRows.field("two\nlines")).isEqualTo("\"two\nlines\"");
    }

    @Test
    void formulaTriggersGetALeadingApostrophe() {
        assertThat(CsvRows.field("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(CsvRows.field("+1")).isEqualTo("'+1");
        assertThat(CsvRows.field("-2")).isEqualTo("'-2");
        assertThat(CsvRows.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvRows.field("\tx")).isEqualTo("'\tx");
    }

    @Test
    void anyFieldReadsBackAsItselfApartFromTheApostrophe() {
        qt().withExamples(500).forAll(strings().allPossible().ofLengthBetween(0, 30)).checkAssert(value -> {
            String field = CsvRows.field(value);
            String unquoted = field.startsWith("\"") ? field.substring(1, field.length() - 1).replace("\"\"", "\"") : field;
            assertThat(unquoted.startsWith("\"") && !field.startsWith("\"")).isFalse();
            String expected = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
            assertThat(unquoted).isEqualTo(expected);
            if (!field.startsWith("\"")) {
                assertThat(field).doesNotContain(",", "\n", "\r", "\"");
            }
        });
    }
}
