package dev.certplane.probes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.certplane.handshake.Handshake;
import dev.certplane.pki.CertificateSigner;
import dev.certplane.pki.CertificateSpec;
import dev.certplane.pki.Certificates;
import dev.certplane.pki.ExtendedKeyUsage;
import dev.certplane.pki.KeyType;
import dev.certplane.pki.KeyUsageBit;
import dev.certplane.pki.Serials;
import dev.certplane.probes.internal.Classifier.Classification;

import org.junit.jupiter.api.Test;

/** Every status and its precedence, against certificates made here; no network, no database, a fixed time. */
class ClassifierTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final KeyPair ROOT_KEYS = KeyType.EC_P256.generate();
    private static final X509Certificate ROOT = CertificateSigner.sign(ca("CN=Probe Test Root", ROOT_KEYS), null,
            ROOT_KEYS.getPrivate());
    private static final KeyPair INTERMEDIATE_KEYS = KeyType.EC_P256.generate();
    private static final X509Certificate INTERMEDIATE = CertificateSigner.sign(ca("CN=Probe Test Intermediate",
            INTERMEDIATE_KEYS), ROOT, ROOT_KEYS.getPrivate());
    private static final X509Certificate V1 = leaf("shop.probe.test", NOW.minusSeconds(86400 * 40), NOW.plusSeconds(86400 * 50));
    private static final X509Certificate V2 = leaf("shop.probe.test", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 90));
    private static final ProbeTargetDraft SHOP = ProbeTargetDraft.of("127.0.0.1", 443, "shop.probe.test", null, "m1",
            null, null);
    private static final Expectation EXPECTED = new Expectation("m1", "shop", Map.of(
            Certificates.sha256Fingerprint(V1), 1, Certificates.sha256Fingerprint(V2), 2), 2,
            Anchors.of(List.of(ROOT)));

    @Test
    void theCurrentVersionForTheNameWithItsChainIsOkAndTrusted() {
        Classification ok = classify(SHOP, List.of(V2, INTERMEDIATE), EXPECTED);
        assertThat(ok.status()).isEqualTo(ProbeStatus.OK);
        assertThat(ok.findings()).isEmpty();
        assertThat(ok.servedVersion()).isEqualTo(2);
        assertThat(ok.trusted()).isTrue();
        assertThat(ok.trustProblem()).isNull();
        assertThat(ok.ocspStatus()).isNull();
        // the root may be sent too; a leaf issued by an anchor needs nothing more
        assertThat(classify(SHOP, List.of(V2, INTERMEDIATE, ROOT), EXPECTED).status()).isEqualTo(ProbeStatus.OK);
        Expectation intermediateAnchored = new Expectation("m1", "shop", EXPECTED.versionsByFingerprint(), 2,
                Anchors.of(List.of(INTERMEDIATE)));
        assertThat(classify(SHOP, List.of(V2), intermediateAnchored).status()).isEqualTo(ProbeStatus.OK);
    }

    @Test
    void anOlderVersionIsStaleAndSaysWhichVersionsAreInPlay() {
        Classification stale = classify(SHOP, List.of(V1, INTERMEDIATE), EXPECTED);
        assertThat(stale.status()).isEqualTo(ProbeStatus.STALE);
        assertThat(stale.servedVersion()).isEqualTo(1);
        assertThat(stale.findings()).containsExactly("serves version 1 of managed certificate 'shop', but version 2 is"
                + " current: the server has not loaded it yet (reload it)");
        assertThat(stale.trusted()).isTrue();
    }

    @Test
    void aCertificateThatIsNoVersionIsAMismatch() {
        X509Certificate other = leaf("shop.probe.test", NOW.minusSeconds(60), NOW.plusSeconds(86400));
        Classification mismatch = classify(SHOP, List.of(other, INTERMEDIATE), EXPECTED);
        assertThat(mismatch.status()).isEqualTo(ProbeStatus.MISMATCH);
        assertThat(mismatch.servedVersion()).isNull();
        assertThat(mismatch.findings()).singleElement().asString().startsWith("serves shop.probe.test (SHA-256 "
                + Certificates.sha256Fingerprint(other).substring(0, 16)).endsWith("which is not a version of managed"
                + " certificate 'shop' (version 2 is current)");
        Expectation none = new Expectation("m1", "shop", Map.of(), null, Anchors.of(List.of(ROOT)));
        assertThat(classify(SHOP, List.of(V2, INTERMEDIATE), none).findings()).singleElement().asString()
                .endsWith("but managed certificate 'shop' has no version yet");
    }

    @Test
    void aCertificateOutsideItsValidityIsExpiredAndNotTrusted() {
        X509Certificate expired = leaf("shop.probe.test", NOW.minusSeconds(86400 * 90), NOW.minusSeconds(60));
        Expectation current = new Expectation("m1", "shop", Map.of(Certificates.sha256Fingerprint(expired), 3), 3,
                Anchors.of(List.of(ROOT)));
        Classification result = classify(SHOP, List.of(expired, INTERMEDIATE), current);
        assertThat(result.status()).isEqualTo(ProbeStatus.EXPIRED);
        assertThat(result.findings()).containsExactly("the served certificate expired at " + NOW.minusSeconds(60));
        assertThat(result.trusted()).isFalse();
        assertThat(result.trustProblem()).contains("validity");

        X509Certificate early = leaf("shop.probe.test", NOW.plusSeconds(3600), NOW.plusSeconds(86400));
        Expectation future = new Expectation("m1", "shop", Map.of(Certificates.sha256Fingerprint(early), 4), 4,
                Anchors.of(List.of(ROOT)));
        assertThat(classify(SHOP, List.of(early, INTERMEDIATE), future).findings())
                .containsExactly("the served certificate is not valid before " + NOW.plusSeconds(3600));
    }

    @Test
    void aNameTheCertificateDoesNotCoverIsAHostnameMismatch() {
        ProbeTargetDraft www = ProbeTargetDraft.of("127.0.0.1", 443, "www.probe.test", null, "m1", null, null);
        Classification result = classify(www, List.of(V2, INTERMEDIATE), EXPECTED);
        assertThat(result.status()).isEqualTo(ProbeStatus.HOSTNAME_MISMATCH);
        assertThat(result.findings()).containsExactly("the served certificate does not cover www.probe.test; it covers"
                + " shop.probe.test, 127.0.0.1");
        assertThat(result.trusted()).isFalse();
        assertThat(result.trustProblem()).isEqualTo("the certificate does not cover www.probe.test");
        // without an SNI name the host is the name: the certificate lists 127.0.0.1
        ProbeTargetDraft byAddress = ProbeTargetDraft.of("127.0.0.1", 443, null, null, "m1", null, null);
        assertThat(classify(byAddress, List.of(V2, INTERMEDIATE), EXPECTED).status()).isEqualTo(ProbeStatus.OK);
    }

    @Test
    void aMissingIntermediateIsAnIncompleteChainNamingWhatIsMissing() {
        Classification result = classify(SHOP, List.of(V2), EXPECTED);
        assertThat(result.status()).isEqualTo(ProbeStatus.INCOMPLETE_CHAIN);
        assertThat(result.findings()).containsExactly("the server does not send the issuer of shop.probe.test"
                + " (CN=Probe Test Intermediate), and it is not a trust anchor: clients that do not have it cannot build"
                + " the chain");
        assertThat(result.trusted()).isFalse();
    }

    @Test
    void trustIsRecordedNotEnforced() {
        KeyPair otherRootKeys = KeyType.EC_P256.generate();
        X509Certificate otherRoot = CertificateSigner.sign(ca("CN=Unknown Root", otherRootKeys), null,
                otherRootKeys.getPrivate());
        Expectation otherAnchors = new Expectation("m1", "shop", EXPECTED.versionsByFingerprint(), 2,
                Anchors.of(List.of(otherRoot)));
        // the chain ends at a self-signed root the client does not trust: complete, served as expected, not trusted
        Classification result = classify(SHOP, List.of(V2, INTERMEDIATE, ROOT), otherAnchors);
        assertThat(result.status()).isEqualTo(ProbeStatus.OK);
        assertThat(result.trusted()).isFalse();
        assertThat(result.trustProblem()).isNotBlank();
    }

    @Test
    void theWorstProblemGivesTheStatusAndEveryProblemIsAFinding() {
        X509Certificate oldExpired = leaf("old.probe.test", NOW.minusSeconds(86400 * 90), NOW.minusSeconds(60));
        Expectation expected = new Expectation("m1", "shop", Map.of(Certificates.sha256Fingerprint(oldExpired), 1,
                Certificates.sha256Fingerprint(V2), 2), 2, Anchors.of(List.of(ROOT)));
        Classification result = classify(SHOP, List.of(oldExpired), expected);
        assertThat(result.status()).isEqualTo(ProbeStatus.STALE);
        assertThat(result.findings()).hasSize(4);
        assertThat(result.findings().get(0)).startsWith("serves version 1");
        assertThat(result.findings().get(1)).startsWith("the served certificate expired");
        assertThat(result.findings().get(2)).startsWith("the served certificate does not cover shop.probe.test");
        assertThat(result.findings().get(3)).startsWith("the server does not send the issuer");
    }

    @Test
    void noAnswerIsUnreachable() {
        Classification result = Classifier.unreachable("Connection refused");
        assertThat(result.status()).isEqualTo(ProbeStatus.UNREACHABLE);
        assertThat(result.findings()).containsExactly("Connection refused");
        assertThat(result.trusted()).isFalse();
    }

    @Test
    void aStapledResponseThatCannotBeReadIsRecordedAsSuch() {
        Handshake stapled = new Handshake(List.of(V2, INTERMEDIATE), "TLSv1.3", "TLS_AES_128_GCM_SHA256",
                new byte[] {1, 2, 3});
        Classification result = Classifier.classify(SHOP, stapled, EXPECTED, NOW);
        assertThat(result.status()).isEqualTo(ProbeStatus.OK);
        assertThat(result.ocspStatus()).startsWith("unreadable: the stapled OCSP response cannot be read");
    }

    private static Classification classify(ProbeTargetDraft spec, List<X509Certificate> chain, Expectation expected) {
        return Classifier.classify(spec, new Handshake(chain, "TLSv1.3", "TLS_AES_128_GCM_SHA256", null), expected, NOW);
    }

    private static X509Certificate leaf(String name, Instant notBefore, Instant notAfter) {
        KeyPair keys = KeyType.EC_P256.generate();
        return CertificateSigner.sign(new CertificateSpec("", keys.getPublic(), Serials.random(), notBefore, notAfter,
                false, null, Set.of(KeyUsageBit.DIGITAL_SIGNATURE), List.of(ExtendedKeyUsage.SERVER_AUTH), List.of(name),
                List.of("127.0.0.1"), null, null, null), INTERMEDIATE, INTERMEDIATE_KEYS.getPrivate());
    }

    private static CertificateSpec ca(String subject, KeyPair keys) {
        return new CertificateSpec(subject, keys.getPublic(), Serials.random(), NOW.minusSeconds(86400L * 365),
                NOW.plusSeconds(86400L * 3650), true, null, Set.of(KeyUsageBit.KEY_CERT_SIGN, KeyUsageBit.CRL_SIGN),
                List.of(), List.of(), List.of(), null, null, null);
    }
}
