package dev.certplane.acme.server.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a validated server sent, as an error may quote it. */
class TextTest {

    @Test
    void printableAsciiIsKept() {
        assertThat(Text.excerpt("token.thumbprint ~!\"<>")).isEqualTo("token.thumbprint ~!\"<>");
    }

    @Test
    void controlAndNonAsciiCharactersBecomeQuestionMarks() {
        assertThat(Text.excerpt("a\r\nb\u0000c\u001b[31md\u007fé€\uD83D\uDE00")).isEqualTo("a??b?c?[31md?????");
    }

    @Test
    void longTextIsCutAt100CharactersAndMarked() {
        assertThat(Text.excerpt("x".repeat(100))).isEqualTo("x".repeat(100));
        assertThat(Text.excerpt("x".repeat(101))).isEqualTo("x".repeat(100) + "…");
        assertThat(Text.excerpt("y".repeat(100_000))).hasSize(101);
    }
}
