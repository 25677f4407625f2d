package dev.certplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.certplane.CertplaneApplication;
import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Pem;
import dev.certplane.pki.Serials;
import dev.certplane.support.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** An operator brings an existing root CA on the first start instead of letting Certplane generate one. */
class CaImportIT {

    private final Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @Test
    void anImportedRootBecomesTheRootAndGetsAGeneratedIssuingCa() throws Exception {
        KeyPair keys = KeyType.EC_P256.generate();
        X509Certificate root = root(keys, "CN=Imported Root,O=Example");
        Path dir = Files.createTempDirectory("certplane-import");
        Files.writeString(dir.resolve("root.pem"), Pem.encodeCertificate(root));
        Files.writeString(dir.resolve("root.key"), Pem.encodePrivateKey(keys.getPrivate()));

        try (ConfigurableApplicationContext app = start(dir, dir.resolve("root.pem"), dir.resolve("root.key"))) {
            CertificateAuthority ca = app.getBean(CertificateAuthority.class);
            assertThat(Certificates.sha256Fingerprint(ca.root())).isEqualTo(Certificates.sha256Fingerprint(root));
            assertThat(ca.issuing().getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
            ca.issuing().verify(root.getPublicKey());
            assertThat(ca.certificates()).extracting(CaCertificate::source).containsExactly("imported", "generated");
        }
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateStopsStartUpNamingTheFile() throws Exception {
        X509Certificate root = root(KeyType.EC_P256.generate(), "CN=Imported Root,O=Example");
        Path dir = Files.createTempDirectory("certplane-import");
        Files.writeString(dir.resolve("root.pem"), Pem.encodeCertificate(root));
        Files.writeString(dir.resolve("other.key"), Pem.encodePrivateKey(KeyType.EC_P256.generate().getPrivate()));

        assertThatThrownBy(() -> start(dir, dir.resolve("root.pem"), dir.resolve("other.key")).close())
                .hasRootCauseInstanceOf(CaSetupException.class)
                .rootCause().hasMessageContaining("other.key").hasMessageContaining("does not match");
    }

    private X509Certificate root(KeyPair keys, String subject) {
        CertificateSpec spec = new CertificateSpec(subject, keys.getPublic(), Serials.random(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)), true, 1,
                Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN), List.of(), List.of(), List.of(), null, null,
                null);
        return CertificateSigner.sign(spec, null, keys.getPrivate());
    }

    private static ConfigurableApplicationContext start(Path dataDir, Path certificate, Path key) {
        List<String> args = new ArrayList<>();
        Map<String, String> installation = TestDatabase.forInstallation(dataDir,
                TestDatabase.postgres() ? TestDatabase.createPostgresDatabase() : null);
        installation.forEach((k, v) -> args.add("--" + k + "=" + v));
        args.add("--server.port=0");
        args.add("--certplane.ca.import-certificate=" + certificate);
        args.add("--certplane.ca.import-key=" + key);
        return new SpringApplicationBuilder(CertplaneApplication.class).run(args.toArray(String[]::new));
    }
}
