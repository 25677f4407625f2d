package dev.certplane.secrets.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

import dev.certplane.secrets.MasterKeyException;
import dev.certplane.secrets.SecretBox;
import dev.certplane.secrets.SecretUnreadableException;
import dev.certplane.secrets.internal.store.KeyCheckStore;
import dev.certplane.shared.CertplaneProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SecretsConfig {

    private static final String CHECK_PURPOSE = "secrets.key-check";
    private static final byte[] CHECK_VALUE = "certplane master key check".getBytes(StandardCharsets.US_ASCII);

    /** Loads the master key and proves it against the stored check before any secret is read. */
    @Bean
    SecretBox secretBox(MasterKeyProperties properties, CertplaneProperties certplane, KeyCheckStore checks,
            Clock clock) {
        MasterKeySource source = new MasterKeySource(properties.masterKey(),
                certplane.dataDir().resolve(MasterKeySource.FILE_NAME));
        Optional<String> check = checks.find();
        SecretBox box = new SecretBox(source.load(check.isPresent()));
        if (check.isEmpty() && checks.insert(box.seal(CHECK_VALUE, CHECK_PURPOSE), clock.instant())) {
            return box;
        }
        try {
            box.open(checks.find().orElseThrow(), CHECK_PURPOSE);
        } catch (SecretUnreadableException e) {
            throw new MasterKeyException("the master key from " + source.description()
                    + " is not the key this installation's secrets were encrypted with; restore the original key"
                    + " (Certplane never re-creates secrets)");
        }
        return box;
    }
}
