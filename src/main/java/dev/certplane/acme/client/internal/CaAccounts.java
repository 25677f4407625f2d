package dev.certplane.acme.client.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.certplane.pki.Pem;
import dev.certplane.pki.PkiException;

import org.jspecify.annotations.Nullable;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.springframework.stereotype.Component;

/**
 * Accounts at external CAs, through acme4j. Only our types go in and out, so the library stays inside this
 * module; a CA's refusal comes back as its own problem detail, never as an exception.
 */
@Component
public class CaAccounts {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** @param accountUrl set when the CA accepted the account; otherwise {@code error} says why not */
    public record Result(@Nullable String accountUrl, @Nullable String error) {
    }

    /**
     * Registers the key with the CA, or finds its account if the key is known there (RFC 8555 7.3.1), agreeing
     * to the CA's terms of service.
     *
     * @param eabHmacKey base64url
     */
    public Result register(String directoryUrl, @Nullable String trustBundlePem, KeyPair accountKey,
            @Nullable String contact, @Nullable String eabKid, @Nullable String eabHmacKey) {
        try {
            AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey);
            if (contact != null) {
                builder.addEmail(contact);
            }
            if (eabKid != null && eabHmacKey != null) {
                builder.withKeyIdentifier(eabKid, eabHmacKey);
            }
            Account account = builder.create(session(directoryUrl, trustBundlePem));
            return new Result(account.getLocation().toString(), null);
        } catch (AcmeServerException e) {
            return new Result(null, "the CA refused the account: " + e.getProblem().getDetail()
                    .orElse(e.getProblem().getType().toString()) + " (" + e.getProblem().getType() + ")");
        } catch (AcmeException | IllegalArgumentException e) {
            return new Result(null, "the CA at " + directoryUrl + " could not be reached or understood: "
                    + e.getMessage());
        }
    }

    /** @throws IllegalArgumentException if the bundle is not PEM certificates */
    public static void checkTrustBundle(String trustBundlePem) {
        trust(trustBundlePem);
    }

    static Session session(String directoryUrl, @Nullable String trustBundlePem) {
        SSLContext trust = trustBundlePem == null ? null : trust(trustBundlePem);
        Session session = new Session(URI.create(directoryUrl), new GenericAcmeProvider() {
            @Override
            public HttpClient createHttpClient(NetworkSettings settings) {
                HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(TIMEOUT);
                if (trust != null) {
                    client.sslContext(trust);
                }
                return client.build();
            }
        });
        session.networkSettings().setTimeout(TIMEOUT);
        return session;
    }

    /** An SSL context that trusts only the bundle's certificates (a private CA's roots). */
    private static SSLContext trust(String trustBundlePem) {
        List<X509Certificate> roots;
        try {
            roots = Pem.decodeCertificates(trustBundlePem);
        } catch (PkiException e) {
            throw new IllegalArgumentException("trustBundlePem: " + e.getMessage(), e);
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root-" + i, roots.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("a trust store cannot be built: " + e.getMessage(), e);
        }
    }
}
