package dev.certplane;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/** The boundary rules of docs/architecture.md that a machine can check. */
@AnalyzeClasses(packages = "dev.certplane", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theHttpEdgeNeverTouchesStorage = noClasses()
            .that().areAnnotatedWith(RestController.class).or().areAnnotatedWith(Controller.class)
            .or().resideInAnyPackage("..internal.http..", "..internal.web..")
            .should().dependOnClassesThat().resideInAnyPackage("..internal.store..", "org.springframework.jdbc..",
                    "java.sql..", "jakarta.persistence..")
            .because("controllers and pages go through a module's services (rule 3)");

    @ArchTest
    static final ArchRule onlyStoresTalkSql = noClasses()
            .that().resideOutsideOfPackage("..internal.store..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc.core..", "java.sql..")
            .because("one store per module owns its tables (rule 2)");

    @ArchTest
    static final ArchRule pkiIsPure = noClasses()
            .that().resideInAPackage("dev.certplane.pki..").and().doNotHaveSimpleName("package-info")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.net.http..", "java.sql..",
                    "java.io.File", "java.nio.file..")
            .because("hostile input is parsed in a pure, deterministic module (rule 4)");

    @ArchTest
    static final ArchRule acmeProtocolIsPure = noClasses()
            .that().resideInAPackage("dev.certplane.acme.protocol..").and().doNotHaveSimpleName("package-info")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.net.http..", "java.sql..",
                    "java.io.File", "java.nio.file..", "java.time.Clock")
            .because("ACME requests are parsed and verified in a pure, deterministic module (rule 4)");

    @ArchTest
    static final ArchRule validatorsNeverWrite = noClasses()
            .that().resideInAPackage("dev.certplane.acme.server.internal.validation..")
            .should().dependOnClassesThat().resideInAnyPackage("..internal.store..", "org.springframework.transaction..",
                    "org.springframework.context", "org.springframework.jdbc..")
            .because("validators return an outcome and the order service records it (rule 5)");

    @ArchTest
    static final ArchRule acme4jStaysInTheAcmeClient = noClasses()
            .that().resideOutsideOfPackage("dev.certplane.acme.client..")
            .should().dependOnClassesThat().resideInAnyPackage("org.shredzone.acme4j..")
            .because("acme4j is wrapped so that none of its types leave acme.client (shared architecture)");

    @ArchTest
    static final ArchRule timeIsInjected = noClasses()
            .should().callMethod(Instant.class, "now")
            .orShould().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(LocalDate.class, "now")
            .orShould().callMethod(OffsetDateTime.class, "now")
            .orShould().callMethod(ZonedDateTime.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .because("time comes from the injected Clock (rule 6)");
}
