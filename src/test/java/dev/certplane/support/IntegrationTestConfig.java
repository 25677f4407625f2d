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

    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Gives each cached context its own data directory and database. */
    public static class FreshInstallation implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, String> properties = TestDatabase.freshInstallation();
            // ACME clients follow the URLs the server hands out, so the external URL must name the real port.
            int port = freePort();
            TestPropertyValues.of(properties).and("certplane.admin-password=" + ADMIN_PASSWORD)
                    .and("server.port=" + port).and("certplane.external-url=https://localhost:" + port)
                    .applyTo(context.getEnvironment());
        }
    }
}
