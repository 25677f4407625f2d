package dev.certplane.acme.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webroot http-01 method: where the answer goes, what a CA's token may be, and precise failures. */
class WebrootTest {

    @TempDir
    Path dir;

    @Test
    void theAnswerIsWrittenUnderWellKnownAndDeletedAgain() throws IOException {
        Path file = Webroot.write(dir.toString(), "tok-EN_1", "tok-EN_1.thumbprint");

        assertThat(file).isEqualTo(dir.resolve(".well-known/acme-challenge/tok-EN_1")).hasContent("tok-EN_1.thumbprint");
        assertThat(Files.getPosixFilePermissions(file)).as("a web server of another user reads it")
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        assertThat(Webroot.remove(file.toString())).isTrue();
        assertThat(file).doesNotExist();
        assertThat(Webroot.remove(file.toString())).as("already gone").isFalse();
    }

    @Test
    void aTokenThatIsNotBase64urlNeverBecomesAPath() {
        assertThatThrownBy(() -> Webroot.write(dir.toString(), "../../etc/cron.d/x", "x"))
                .hasMessage("the CA's token '../../etc/cron.d/x' is not base64url (RFC 8555 8.3), so it cannot be a file"
                        + " name");
        assertThat(dir.resolve(".well-known")).doesNotExist();
    }

    @Test
    void aWebrootThatCannotBeWrittenSaysWhy() throws IOException {
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(dir.resolve(".well-known"), "a file where a directory should be");
        Files.createDirectories(other.resolve(".well-known"));
        Files.writeString(other.resolve(".well-known/acme-challenge"), "a file where a directory should be");

        assertThatThrownBy(() -> Webroot.write(dir.toString(), "token", "token.x"))
                .hasMessage(dir.resolve(".well-known/acme-challenge") + ": Not a directory");
        assertThatThrownBy(() -> Webroot.write(other.toString(), "token", "token.x"))
                .hasMessage(other.resolve(".well-known/acme-challenge") + " exists and is not a directory");
    }

    @Test
    void webrootsAreCheckedWhenAWorkflowStarts() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");

        Webroot.check("http01Method.webroot", dir.toString());
        assertThatThrownBy(() -> Webroot.check("http01Method.webroot", "srv/www"))
                .hasMessage("http01Method.webroot 'srv/www' must be an absolute path");
        assertThatThrownBy(() -> Webroot.check("http01Method.webroot", file.toString()))
                .hasMessage("http01Method.webroot '" + file + "' is not a directory on this server");
        assertThatThrownBy(() -> Webroot.check("http01Method.webroot", dir.resolve("missing").toString()))
                .hasMessage("http01Method.webroot '" + dir.resolve("missing") + "' is not a directory on this server");
    }
}
