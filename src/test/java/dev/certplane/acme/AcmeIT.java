package dev.certplane.acme;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.certplane.support.CertplaneIT;

import org.springframework.test.context.TestPropertySource;

/**
 * A Certplane with the ACME profiles the ACME tests order from (one shared application context):
 * {@code default} allows names under example.test and loopback addresses; {@code strict} allows names under
 * strict.test, only P-256 keys and six-day certificates; {@code edge} takes certificate tokens for names under
 * edge.test. Probes poll for due targets and retry pending confirmations every second.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CertplaneIT
@TestPropertySource(properties = {
        "certplane.acme.terms-of-service=https://certplane.example/terms",
        "certplane.acme.alternate-chain-with-root=true",
        "certplane.acme.profiles.default.allowed-domains=.example.test,example.test",
        "certplane.acme.profiles.default.allowed-ip-ranges=127.0.0.0/8,::1/128",
        "certplane.acme.profiles.strict.allowed-domains=.strict.test",
        "certplane.acme.profiles.strict.validity=6d",
        "certplane.acme.profiles.strict.key-types=ec-p256",
        "certplane.acme.profiles.edge.auth-mode=token",
        "certplane.acme.profiles.edge.allowed-domains=.edge.test",
        "certplane.delivery.expiry-check-interval=1s",
        "certplane.probes.poll-interval=1s",
        "certplane.probes.confirm-retry-interval=1s",
        "certplane.probes.confirm-window=1m"})
public @interface AcmeIT {
}
