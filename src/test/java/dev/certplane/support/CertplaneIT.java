package dev.certplane.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/** A whole Certplane on a random HTTPS port, on a fresh store (H2 or PostgreSQL, see {@link TestDatabase}). */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "db-scheduler.polling-interval=1s")
@ContextConfiguration(initializers = IntegrationTestConfig.FreshInstallation.class)
@Import(IntegrationTestConfig.class)
public @interface CertplaneIT {
}
