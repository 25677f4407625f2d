package dev.certplane.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.certplane.pki.KeyType;
import dev.certplane.shared.CertplaneProperties;
import dev.certplane.support.ApiClient;
import dev.certplane.support.IntegrationTestConfig;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The ACME server driven by acme4j, an independent RFC 8555 client, through every resource. */
@AcmeIT
class AcmeServerIT {

    @LocalServerPort
    int port;

    @Autowired
    CertplaneProperties certplane;

    @Autowired
    JdbcClient jdbc;

    Session session;

    @BeforeEach
    void session() {
        session = AcmeTesting.session(port, certplane.caBundleFile(), "default");
    }

    @Test
    void theDirectoryAnnouncesEveryResourceAndItsMetadata() throws Exception {
        var metadata = session.getMetadata();
        assertThat(metadata.getTermsOfService()).hasValueSatisfying(t -> assertThat(t).hasToString(
                "https://certplane.example/terms"));
        assertThat(metadata.isExternalAccountRequired()).isFalse();
        assertThat(metadata.getProfiles()).containsExactly("default");
        for (var resource : List.of(Resource.NEW_NONCE, Resource.NEW_ACCOUNT, Resource.NEW_ORDER, Resource.KEY_CHANGE,
                Resource.REVOKE_CERT, Resource.RENEWAL_INFO)) {
            assertThat(session.resourceUrlOptional(resource)).as(resource.path()).isPresent();
        }
        assertThat(session.resourceUrlOptional(Resource.NEW_AUTHZ)).as("pre-authorization is not offered").isEmpty();
        var api = new ApiClient(port, certplane.caBundleFile());
        assertThat(api.get("/acme/nowhere/directory", null).status()).isEqualTo(404);
        assertThat(api.get("/acme/nowhere/directory", null).json().get("type").asString())
                .isEqualTo("urn:ietf:params:acme:error:malformed");
    }

    @Test
    void issuesDnsWildcardAndIpCertificatesThatChainToTheRoot() throws Exception {
        Login login = newAccount(session);
        Order order = login.getAccount().newOrder().domains("www.example.test", "*.example.test")
                .identifier(Identifier.ip("127.0.0.1")).create();
        assertThat(order.getStatus()).isEqualTo(Status.READY);
        assertThat(order.getAuthorizations()).hasSize(3).allSatisfy(a -> assertThat(a.getStatus()).isEqualTo(Status.VALID));
        Authorization wildcard = order.getAuthorizations().stream().filter(Authorization::isWildcard).findFirst().orElseThrow();
        assertThat(wildcard.getIdentifier().getDomain()).isEqualTo("example.test");

        order.execute(KeyType.EC_P256.generate());
        assertThat(order.waitForCompletion(Duration.ofSeconds(10))).isEqualTo(Status.VALID);
        Certificate certificate = order.getCertificate();
        X509Certificate leaf = certificate.getCertificate();
        assertThat(leaf.getSubjectAlternativeNames()).extracting(n -> n.get(1).toString())
                .containsExactlyInAnyOrder("www.example.test", "*.example.test", "127.0.0.1");
        List<X509Certificate> chain = certificate.getCertificateChain();
        assertThat(chain).hasSize(2);
        X509Certificate root = certificate.getAlternateCertificates().get(0).getCertificateChain().get(2);
        var validator = CertPathValidator.getInstance("PKIX");
        var parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        validator.validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()).toDays())
                .isBetween(89L, 90L);
    }

    @Test
    void aProfileEnforcesItsNamesKeyTypesAndValidity() throws Exception {
        Session strict = AcmeTesting.session(port, certplane.caBundleFile(), "strict");
        Login login = newAccount(strict);
        assertThatThrownBy(() -> login.getAccount().newOrder().domains("a.strict.test", "a.example.test").create())
                .isInstanceOfSatisfying(AcmeServerException.class, e -> {
                    assertThat(e.getProblem().getType().toString()).isEqualTo("urn:ietf:params:acme:error:rejectedIdentifier");
                    assertThat(e.getProblem().getSubProblems()).singleElement().satisfies(sub -> {
                        assertThat(sub.getIdentifier()).hasValueSatisfying(i -> assertThat(i.getValue()).isEqualTo("a.example.test"));
                        assertThat(sub.getDetail()).hasValueSatisfying(d -> assertThat(d).contains("does not allow"));
                    });
                });
        Order rsa = login.getAccount().newOrder().domain("a.strict.test").create();
        assertThatThrownBy(() -> rsa.execute(KeyType.RSA_2048.generate()))
                .isInstanceOfSatisfying(AcmeServerException.class, e -> assertThat(e.getMessage()).contains("ec-p256"));
        Order ec = login.getAccount().newOrder().domain("a.strict.test").create();
        ec.execute(KeyType.EC_P256.generate());
        ec.waitForCompletion(Duration.ofSeconds(10));
        X509Certificate leaf = ec.getCertificate().getCertificate();
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()).toHours())
                .isBetween(143L, 145L);
    }

    @Test
    void honoursARequestedValidityWindowWithinTheProfile() throws Exception {
        Login login = newAccount(session);
        Instant notAfter = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        Order order = login.getAccount().newOrder().domain("window.example.test").notAfter(notAfter).create();
        assertThat(order.getNotAfter()).contains(notAfter);
        order.execute(KeyType.EC_P256.generate());
        order.waitForCompletion(Duration.ofSeconds(10));
        assertThat(order.getCertificate().getCertificate().getNotAfter().toInstant()).isEqualTo(notAfter);
        assertThatThrownBy(() -> login.getAccount().newOrder().domain("window.example.test")
                .notAfter(Instant.now().plus(Duration.ofDays(400))).create())
                .hasMessageContaining("longer than profile 'default' allows");
    }

    @Test
    void listsAnAccountsOrders() throws Exception {
        Login login = newAccount(session);
        Set<URL> created = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            created.add(login.getAccount().newOrder().domain("list" + i + ".example.test").create().getLocation());
        }
        Set<URL> listed = new HashSet<>();
        login.getAccount().getOrders().forEachRemaining(o -> listed.add(o.getLocation()));
        assertThat(listed).isEqualTo(created);
    }

    @Test
    void rollsOverTheAccountKey() throws Exception {
        Login login = newAccount(session);
        KeyPair oldKey = login.getKeyPair();
        KeyPair newKey = KeyType.EC_P256.generate();
        login.getAccount().changeKey(newKey);

        Login withNewKey = session.login(login.getAccountLocation(), newKey);
        assertThat(withNewKey.getAccount().newOrder().domain("rolled.example.test").create().getStatus())
                .isEqualTo(Status.READY);
        Login withOldKey = session.login(login.getAccountLocation(), oldKey);
        assertThatThrownBy(() -> withOldKey.getAccount().newOrder().domain("rolled.example.test").create())
                .hasMessageContaining("signature does not verify");

        Login other = newAccount(session);
        assertThatThrownBy(() -> other.getAccount().changeKey(newKey))
                .isInstanceOfSatisfying(AcmeServerException.class, e -> assertThat(e.getMessage())
                        .contains("another account already uses the new key"));
    }

    @Test
    void aDeactivatedAccountCanDoNothingMore() throws Exception {
        Login login = newAccount(session);
        login.getAccount().deactivate();
        assertThat(login.getAccount().getStatus()).isEqualTo(Status.DEACTIVATED);
        assertThatThrownBy(() -> login.getAccount().newOrder().domain("gone.example.test").create())
                .isInstanceOfSatisfying(AcmeServerException.class, e -> assertThat(e.getProblem().getType().toString())
                        .isEqualTo("urn:ietf:params:acme:error:unauthorized"));
    }

    @Test
    void aDeactivatedAuthorizationInvalidatesItsOrder() throws Exception {
        Login login = newAccount(session);
        Order order = login.getAccount().newOrder().domains("d1.example.test", "d2.example.test").create();
        order.getAuthorizations().get(0).deactivate();
        order.fetch();
        assertThat(order.getStatus()).isEqualTo(Status.INVALID);
        assertThatThrownBy(() -> order.execute(KeyType.EC_P256.generate()))
                .isInstanceOfSatisfying(AcmeServerException.class, e -> assertThat(e.getProblem().getType().toString())
                        .isEqualTo("urn:ietf:params:acme:error:orderNotReady"));
    }

    @Test
    void renewalInformationAndReplacement() throws Exception {
        Login login = newAccount(session);
        Certificate first = issue(login, "ari.example.test");
        X509Certificate leaf = first.getCertificate();
        assertThat(first.hasRenewalInfo()).isTrue();
        RenewalInfo info = first.getRenewalInfo();
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        assertThat(info.getSuggestedWindowStart()).isAfter(notBefore).isBefore(info.getSuggestedWindowEnd());
        assertThat(info.getSuggestedWindowEnd()).isBefore(notAfter);
        assertThat(info.renewalIsNotRequired(Instant.now())).isTrue();

        Order replacement = login.getAccount().newOrder().domain("ari.example.test").replaces(first).create();
        assertThat(replacement.getJSON().get("replaces").asString()).isNotEmpty();
        assertThatThrownBy(() -> login.getAccount().newOrder().domain("ari.example.test").replaces(first).create())
                .isInstanceOfSatisfying(AcmeServerException.class, e -> assertThat(e.getProblem().getType().toString())
                        .isEqualTo("urn:ietf:params:acme:error:alreadyReplaced"));

        first.revoke(RevocationReason.SUPERSEDED);
        RenewalInfo afterRevocation = first.getRenewalInfo();
        afterRevocation.fetch();
        assertThat(afterRevocation.renewalIsOverdue(Instant.now())).isTrue();
    }

    @Test
    void revokesByTheAccountOrByTheCertificateKeyButNotByAStranger() throws Exception {
        Login owner = newAccount(session);
        Login stranger = newAccount(session);
        KeyPair domainKey = KeyType.EC_P256.generate();
        Order order = owner.getAccount().newOrder().domain("revoke.example.test").create();
        order.execute(domainKey);
        order.waitForCompletion(Duration.ofSeconds(10));
        X509Certificate leaf = order.getCertificate().getCertificate();

        assertThatThrownBy(() -> Certificate.revoke(stranger, leaf, RevocationReason.UNSPECIFIED))
                .isInstanceOfSatisfying(AcmeServerException.class, e -> assertThat(e.getProblem().getType().toString())
                        .isEqualTo("urn:ietf:params:acme:error:unauthorized"));
        Certificate.revoke(session, domainKey, leaf, RevocationReason.KEY_COMPROMISE);
        assertThatThrownBy(() -> Certificate.revoke(owner, leaf, RevocationReason.UNSPECIFIED))
                .isInstanceOfSatisfying(AcmeServerException.class, e -> assertThat(e.getProblem().getType().toString())
                        .isEqualTo("urn:ietf:params:acme:error:alreadyRevoked"));
        assertThat(jdbc.sql("select revocation_reason from ca_issued_certificates where serial = :s")
                .param("s", leaf.getSerialNumber().toString(16)).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void concurrentFinalizeCallsIssueExactlyOneCertificate() throws Exception {
        Login login = newAccount(session);
        Order order = login.getAccount().newOrder().domain("race.example.test").create();
        byte[] csr = csr(KeyType.EC_P256.generate(), "race.example.test");
        int callers = 6;
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            results.add(pool.submit(() -> {
                // Each caller has its own session, as separate client processes would.
                Session own = AcmeTesting.session(port, certplane.caBundleFile(), "default");
                Order mine = own.login(login.getAccountLocation(), login.getKeyPair()).bindOrder(order.getLocation());
                start.await();
                mine.execute(csr);
                mine.waitForCompletion(Duration.ofSeconds(20));
                return mine.getCertificate().getLocation().toString();
            }));
        }
        Set<String> certificates = new HashSet<>();
        for (Future<String> result : results) {
            certificates.add(result.get());
        }
        pool.shutdown();
        assertThat(certificates).hasSize(1);
        assertThat(jdbc.sql("select count(*) from acme_certificates where order_id = :o")
                .param("o", order.getLocation().getPath().replaceAll(".*/", "")).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void everyStepIsAuditedAndCounted() throws Exception {
        Login login = newAccount(session);
        issue(login, "audit.example.test");
        var api = new ApiClient(port, certplane.caBundleFile());
        String admin = ApiClient.basic("admin", IntegrationTestConfig.ADMIN_PASSWORD);
        String account = "acme-account:" + login.getAccountLocation().getPath().replaceAll(".*/", "");
        await(() -> {
            var actions = new HashSet<String>();
            api.get("/api/audit?actor=" + account + "&size=50", admin).json().get("items")
                    .forEach(e -> actions.add(e.get("action").asString()));
            assertThat(actions).contains("acme.account.registered", "acme.order.created", "acme.order.finalized",
                    "acme.certificate.downloaded");
        });
        String metrics = api.get("/actuator/prometheus", admin).body();
        assertThat(metrics).contains("certplane_acme_requests_total{endpoint=\"new-order\",outcome=\"201\"")
                .contains("certplane_acme_issuance_seconds_bucket");
    }

    static Login newAccount(Session session) throws Exception {
        KeyPair key = KeyType.EC_P256.generate();
        Account account = new AccountBuilder().addEmail("ops@example.test").agreeToTermsOfService().useKeyPair(key)
                .create(session);
        return session.login(account.getLocation(), key);
    }

    static Certificate issue(Login login, String... names) throws Exception {
        Order order = login.getAccount().newOrder().domains(names).create();
        order.execute(KeyType.EC_P256.generate());
        order.waitForCompletion(Duration.ofSeconds(10));
        Certificate certificate = order.getCertificate();
        certificate.download();
        return certificate;
    }

    static byte[] csr(KeyPair key, String... names) throws Exception {
        var builder = new org.shredzone.acme4j.util.CSRBuilder();
        builder.addDomains(names);
        builder.sign(key);
        return builder.getEncoded();
    }

    static void await(ThrowingRunnable check) throws Exception {
        AssertionError last = null;
        for (int i = 0; i < 50; i++) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw last;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
