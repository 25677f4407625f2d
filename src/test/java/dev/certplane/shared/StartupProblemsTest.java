package dev.certplane.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.certplane.secrets.MasterKeyException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class StartupProblemsTest {

    @TempDir
    Path dir;

    @Test
    void aDataDirectoryThatIsAFileStopsStartUpNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> check(file.toString()))
                .isInstanceOf(StartupProblems.DataDirectoryException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("CERTPLANE_DATA_DIR");
    }

    @Test
    void aMissingDataDirectoryIsCreated() {
        Path fresh = dir.resolve("a/b/data");

        check(fresh.toString());

        assertThat(fresh).isDirectory();
    }

    @Test
    void certplanesOwnSetUpErrorsBecomeOneStatementWhereverTheyAreWrapped() {
        FailureAnalysis analysis = new StartupProblems.Analyzer().analyze(
                new BeanCreationException("secretBox", "wrapped", new MasterKeyException("the master key is wrong")));

        assertThat(analysis.getDescription()).isEqualTo("Certplane cannot start: the master key is wrong");
    }

    @Test
    void anUnreachableDatabaseIsNamedAsSuch() {
        FailureAnalysis analysis = new StartupProblems.Analyzer().analyze(
                new IllegalStateException("pool", new ConnectException("Connection refused")));

        assertThat(analysis.getDescription()).startsWith("Cannot connect to the database");
        assertThat(analysis.getAction()).contains("SPRING_DATASOURCE_URL");
    }

    @Test
    void otherFailuresAreLeftToSpringBoot() {
        assertThat(new StartupProblems.Analyzer().analyze(new IllegalStateException("something else"))).isNull();
    }

    private static void check(String dataDir) {
        new StartupProblems.DataDirectoryCheck().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(
                new DefaultBootstrapContext(), new SpringApplication(), new String[0],
                new MockEnvironment().withProperty("certplane.data-dir", dataDir)));
    }
}
