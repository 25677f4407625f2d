package dev.certplane.tls.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Serials;
import dev.certplane.tls.internal.ServerCertificates.Served;

import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.stereotype.Component;

/**
 * The SSL bundle the embedded web server uses ({@code server.ssl.bundle=certplane-server}). The web server
 * reads it while the context is still being built, before audit listeners exist, so on the very first start
 * it gets a throw-away placeholder; {@link ServerTlsLifecycle} replaces it with the CA-issued certificate
 * before the connector binds, so the placeholder is never served. Later replacements (renewals) reach the
 * running connector through the registry's update mechanism, without a restart.
 */
@Component
class ServerTlsBundle implements SslBundleRegistrar {

    static final String NAME = "certplane-server";
    private static final String ALIAS = "server";

    private final ServerCertificates certificates;
    private final Clock clock;
    private volatile SslBundleRegistry registry;
    private volatile String servedId;

    ServerTlsBundle(ServerCertificates certificates, Clock clock) {
        this.certificates = certificates;
        this.clock = clock;
    }

    @Override
    public void registerBundles(SslBundleRegistry registry) {
        this.registry = registry;
        var stored = certificates.stored();
        registry.registerBundle(NAME, stored.map(s -> bundle(s.chain(), s.key())).orElseGet(this::placeholder));
        servedId = stored.map(Served::id).orElse(null);
    }

    /** Serves {@code served} from now on if it is not what is served already. */
    synchronized void serve(Served served) {
        if (!served.id().equals(servedId)) {
            registry.updateBundle(NAME, bundle(served.chain(), served.key()));
            servedId = served.id();
        }
    }

    String servedId() {
        return servedId;
    }

    private SslBundle placeholder() {
        KeyPair keys = KeyType.EC_P256.generate();
        Instant now = clock.instant();
        CertificateSpec spec = new CertificateSpec("CN=certplane starting", keys.getPublic(), Serials.random(), now,
                now.plus(Duration.ofHours(1)), false, null, Set.of(KeyUsageBit.DIGITAL_SIGNATURE), List.of(),
                List.of("localhost"), List.of(), null, null, null);
        return bundle(List.of(CertificateSigner.sign(spec, null, keys.getPrivate())), keys.getPrivate());
    }

    private static SslBundle bundle(List<X509Certificate> chain, PrivateKey key) {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(Certificate[]::new));
            return SslBundle.of(SslStoreBundle.of(store, password, null), SslBundleKey.of(password, ALIAS));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the server key store", e);
        }
    }
}
