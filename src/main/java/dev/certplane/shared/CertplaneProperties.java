package dev.certplane.shared;

import java.net.URI;
import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings every module may read.
 *
 * @param dataDir where the embedded store, the master key file, the CA bundle and generated passwords live
 * @param externalUrl the base URL clients see; ACME URLs are built from it, never from the Host header
 */
@Validated
@ConfigurationProperties("certplane")
public record CertplaneProperties(@NotNull Path dataDir, @NotNull URI externalUrl) {

    public Path caBundleFile() {
        return dataDir.resolve("ca-bundle.pem");
    }
}
