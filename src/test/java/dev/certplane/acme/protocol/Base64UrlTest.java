package dev.certplane.acme.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.generators.Generate;

/** Strict unpadded base64url (RFC 7515 2, RFC 4648 5). */
class Base64UrlTest {

    @ParameterizedTest
    @CsvSource({"'', ''", "f, Zg", "fo, Zm8", "foo, Zm9v", "foob, Zm9vYg", "fooba, Zm9vYmE", "foobar, Zm9vYmFy"})
    void theRfc4648TestVectorsWithoutPadding(String text, String encoded) {
        assertThat(Base64Url.encode(text.getBytes(StandardCharsets.US_ASCII))).isEqualTo(encoded);
        assertThat(Base64Url.decode(encoded, "test value")).asString(StandardCharsets.US_ASCII).isEqualTo(text);
    }

    @Test
    void theUrlAlphabetReplacesPlusAndSlash() {
        byte[] bytes = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf};

        assertThat(Base64Url.encode(bytes)).isEqualTo("-_-_");
        assertThat(Base64Url.decode("-_-_", "test value")).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Zg==", "Zg=", "Zm9v=", "+/+/", "Zm9v+", "Zm9v/", "Z", "Zm9vY", "Zm 9v", "Zm9v\n", "Zm9v.", "Zm9v%3D",
        "Zm9v\u00e9", "Zm9v\u0000"})
    void anythingElseIsMalformedAndNamesTheValue(String text) {
        AcmeProblem problem = catchThrowableOfType(AcmeProblem.class, () -> Base64Url.decode(text, "widget"));

        assertThat(problem).as(text).isNotNull();
        assertThat(problem.type()).isEqualTo(ProblemType.MALFORMED);
        assertThat(problem.detail()).isEqualTo("the widget is not unpadded base64url");
    }

    @Test
    void anyBytesRoundTrip() {
        qt().withExamples(500)
                .forAll(Generate.byteArrays(integers().between(0, 100), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)))
                .checkAssert(bytes -> {
                    String text = Base64Url.encode(bytes);
                    assertThat(text).matches("[A-Za-z0-9_-]*").doesNotEndWith("=");
                    assertThat(text.length() % 4).isNotEqualTo(1);
                    assertThat(Base64Url.decode(text, "value")).isEqualTo(bytes);
                });
    }
}
