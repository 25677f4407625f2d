package dev.certplane.support;

import java.util.Map;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Wires a fresh installation and a controllable clock into each integration-test application context. */
@TestConfiguration(proxyBeanMethods = false)
public class IntegrationTestConfig {

    public static final String ADMIN_PASSWORD = "integration-admin-password";

    @Bean
    @Primary
    MutableClock testClock() {
        return MutableClock.atRealTime();
    }

    /** Gives each cached context its own data directory and database. */
    public static class FreshInstallation implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, String> properties = TestDatabase.freshInstallation();
            // ACME clients follow the URLs the server hands out, so the external URL must name the real port.
            int port = AcmeClients.freeLoopbackPort();
            TestPropertyValues.of(properties).and("certplane.admin-password=" + ADMIN_PASSWORD)
                    .and("server.port=" + port).and("certplane.external-url=https://localhost:" + port)
                    .applyTo(context.getEnvironment());
        }
    }
}
