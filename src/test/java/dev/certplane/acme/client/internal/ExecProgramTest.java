package dev.certplane.acme.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators' programs: arguments without a shell, exit codes with output, the time limit, the allowed directories. */
class ExecProgramTest {

    @TempDir
    Path dir;

    @Test
    void argumentsReachTheProgramVerbatimWithoutAShell() throws Exception {
        Path out = dir.resolve("args.txt");
        Path program = script("args", "for a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + out + "'; done");
        String hostile = "$(touch " + dir.resolve("pwned") + "); `id` && rm -rf / | x > y";

        new ExecProgram(program.toString(), List.of(dir), ExecProgram.TIMEOUT).run("add", "_acme-challenge.x.test",
                hostile);

        assertThat(Files.readAllLines(out)).containsExactly("add", "_acme-challenge.x.test", hostile);
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void aFailureGivesTheExitCodeAndTheLastLinesOfOutput() throws IOException {
        Path program = script("fails", "for i in $(seq 1 20); do echo \"line $i\"; done; echo 'no such zone' >&2; exit 3");

        assertThatThrownBy(() -> new ExecProgram(program.toString(), List.of(dir), ExecProgram.TIMEOUT).run("add",
                "_acme-challenge.x.test", "v")).isInstanceOf(ExecException.class).hasMessage(program + " add exited"
                        + " with 3; its last output: line 17 | line 18 | line 19 | line 20 | no such zone");
    }

    @Test
    void aProgramThatPrintsNothingSaysSo() throws IOException {
        Path program = script("silent", "exit 1");

        assertThatThrownBy(() -> new ExecProgram(program.toString(), List.of(dir), ExecProgram.TIMEOUT).run("remove"))
                .hasMessage(program + " remove exited with 1 and printed nothing");
    }

    @Test
    void aProgramThatRunsTooLongIsKilledWithItsChildren() throws IOException {
        Path pid = dir.resolve("child.pid");
        Path program = script("slow", "echo started; sleep 30 & echo $! > '" + pid + "'; wait");
        long start = System.nanoTime();

        assertThatThrownBy(() -> new ExecProgram(program.toString(), List.of(dir), Duration.ofSeconds(1)).run("add"))
                .hasMessage(program + " add did not finish within 1 s and was killed; its last output: started");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        long child = Long.parseLong(Files.readString(pid).trim());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void theProgramGetsAMinimalEnvironmentNeverTheServers() throws Exception {
        Path out = dir.resolve("env.txt");
        Path program = script("env", "env > '" + out + "'");

        new ExecProgram(program.toString(), List.of(dir), ExecProgram.TIMEOUT).run("add");

        List<String> allowed = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR");
        List<String> shells = List.of("PWD", "OLDPWD", "SHLVL", "_");
        List<String> names = Files.readAllLines(out).stream().map(line -> line.substring(0, line.indexOf('=')))
                .filter(name -> !shells.contains(name)).toList();
        String hidden = System.getenv().keySet().stream().filter(name -> !allowed.contains(name) && !shells.contains(name))
                .findFirst().orElseThrow();
        assertThat(names).isNotEmpty().isSubsetOf(allowed).doesNotContain(hidden);
    }

    @Test
    void programsAreCheckedAgainstTheExecDirectories() throws IOException {
        Path program = script("ok", "exit 0");
        Path outside = Files.createTempFile("certplane-outside", ".sh");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwx------"));
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, outside);
        Path plain = dir.resolve("plain");
        Files.writeString(plain, "#!/bin/sh\n");
        try {
            AcmeClientSettings on = settings(List.of(dir.toString()));

            ExecProgram.check("program", program.toString(), on);
            assertThatThrownBy(() -> ExecProgram.check("program", program.toString(), settings(List.of())))
                    .hasMessageStartingWith("program '" + program + "' cannot be run: exec is off (set"
                            + " certplane.acme.client.exec-directories");
            assertThatThrownBy(() -> ExecProgram.check("program", "hooks/dns", on))
                    .hasMessage("program 'hooks/dns' must be an absolute path");
            assertThatThrownBy(() -> ExecProgram.check("program", dir.resolve("missing").toString(), on))
                    .hasMessage("program '" + dir.resolve("missing") + "' does not exist on this server");
            assertThatThrownBy(() -> ExecProgram.check("program", dir.toString(), on))
                    .hasMessage("program '" + dir + "' is not a file");
            assertThatThrownBy(() -> ExecProgram.check("program", outside.toString(), on))
                    .hasMessage("program '" + outside + "' is not inside certplane.acme.client.exec-directories ["
                            + dir + "]");
            assertThatThrownBy(() -> ExecProgram.check("program", link.toString(), on))
                    .as("a link inside pointing outside").hasMessageContaining("is not inside");
            assertThatThrownBy(() -> ExecProgram.check("http01Method.program", plain.toString(), on))
                    .hasMessage("http01Method.program '" + plain + "' is not executable by the Certplane process");
            assertThatThrownBy(() -> new ExecProgram(outside.toString(), List.of(dir), ExecProgram.TIMEOUT).run("add"))
                    .as("checked again when run").isInstanceOf(ExecException.class).hasMessageContaining("is not inside");
        } finally {
            Files.delete(outside);
        }
    }

    private Path script(String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    static AcmeClientSettings settings(List<String> execDirectories) {
        return new AcmeClientSettings(0, null, 53, Duration.ofMinutes(2), Duration.ofSeconds(2), Duration.ofMinutes(5), 5,
                Duration.ofSeconds(2), java.net.URI.create("https://api.cloudflare.com/client/v4"), execDirectories);
    }
}
