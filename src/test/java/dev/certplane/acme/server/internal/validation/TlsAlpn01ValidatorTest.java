package dev.certplane.acme.server.internal.validation;

import static dev.certplane.acme.server.internal.validation.Fixtures.KEY_AUTHORIZATION;
import static dev.certplane.acme.server.internal.validation.Fixtures.check;
import static dev.certplane.acme.server.internal.validation.TlsServer.dnsName;
import static dev.certplane.acme.server.internal.validation.TlsServer.ipAddress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.ProblemType;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.operator.OperatorCreationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS-ALPN-01 (RFC 8737, RFC 8738 6) against a TLS server on loopback presenting a BouncyCastle-made certificate. */
class TlsAlpn01ValidatorTest {

    private static final String HOST = "www.example.test";
    private static final String EXPECTED_HEX = "653471d42925d7eb4cd39a39cda8b34d3034c94cb90067ab78c8123560ba2e5f";
    private static final Function<List<String>, String> ACME = offered -> offered.contains("acme-tls/1")
            ? "acme-tls/1" : null;

    private static KeyPair key;

    private final FakeDns dns = new FakeDns("fake").a(HOST, "127.0.0.1");
    private TlsServer server;
    private RawServer proxy;

    @BeforeAll
    static void generateKey() throws GeneralSecurityException {
        key = TlsServer.keyPair();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void theAcmeCertificateMakesTheChallengeValid() throws Exception {
        serve(certificate(List.of(dnsName(HOST)), digest(), true), ACME);

        ValidationResult result = validate(Identifier.dns(HOST));

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(result.detail()).isEqualTo("tls-alpn-01 validated for " + HOST);
        assertThat(result.record()).contains("TLS handshake with " + HOST + ":" + server.port() + " (SNI " + HOST
                + "): TLSv1.3, ALPN acme-tls/1");
        assertThat(server.serverNames).containsExactly(HOST);
        assertThat(server.offeredProtocols).containsExactly(List.of("acme-tls/1"));
    }

    @Test
    void anUpperCaseSanMatchesTheIdentifier() throws Exception {
        serve(certificate(List.of(dnsName("WWW.Example.TEST")), digest(), true), ACME);

        assertThat(validate(Identifier.dns(HOST)).valid()).isTrue();
    }

    @Test
    void aWrongDigestShowsBothDigests() throws Exception {
        byte[] wrong = new byte[32];
        serve(certificate(List.of(dnsName(HOST)), new DEROctetString(wrong), true), ACME);

        ValidationResult result = validate(Identifier.dns(HOST));

        assertThat(result.problem()).isEqualTo(ProblemType.INCORRECT_RESPONSE);
        assertThat(result.detail()).isEqualTo("the acmeIdentifier extension from " + peer() + " holds "
                + "00".repeat(32) + ", expected SHA-256 of the key authorization, " + EXPECTED_HEX);
    }

    @Test
    void theDigestMustBeAnOctetString() throws Exception {
        serve(certificate(List.of(dnsName(HOST)), new DERUTF8String(EXPECTED_HEX), true), ACME);

        ValidationResult result = validate(Identifier.dns(HOST));

        assertThat(result.problem()).isEqualTo(ProblemType.INCORRECT_RESPONSE);
        assertThat(result.detail()).isEqualTo("the acmeIdentifier extension from " + peer()
                + " is not a DER OCTET STRING");
    }

    @Test
    void theExtensionMustBeCritical() throws Exception {
        serve(certificate(List.of(dnsName(HOST)), digest(), false), ACME);

        ValidationResult result = validate(Identifier.dns(HOST));

        assertThat(result.problem()).isEqualTo(ProblemType.INCORRECT_RESPONSE);
        assertThat(result.detail()).isEqualTo("the certificate from " + peer() + " has no critical acmeIdentifier"
                + " extension (1.3.6.1.5.5.7.1.31)");
    }

    @Test
    void aCertificateWithoutTheExtensionIsRefused() throws Exception {
        serve(certificate(List.of(dnsName(HOST)), null, false), ACME);

        assertThat(validate(Identifier.dns(HOST)).detail()).isEqualTo("the certificate from " + peer()
                + " has no critical acmeIdentifier extension (1.3.6.1.5.5.7.1.31)");
    }

    @Test
    void anExtraSubjectAltNameIsRefused() throws Exception {
        serve(certificate(List.of(dnsName(HOST), dnsName("other.example.test")), digest(), true), ACME);

        ValidationResult result = validate(Identifier.dns(HOST));

        assertThat(result.problem()).isEqualTo(ProblemType.INCORRECT_RESPONSE);
        assertThat(result.detail()).isEqualTo("the certificate from " + peer() + " must name only " + HOST
                + " in subjectAltName; it names [" + HOST + ", other.example.test]");
    }

    @Test
    void anotherNameIsRefused() throws Exception {
        serve(certificate(List.of(dnsName("other.example.test")), digest(), true), ACME);

        assertThat(validate(Identifier.dns(HOST)).detail()).isEqualTo("the certificate from " + peer()
                + " must name only " + HOST + " in subjectAltName; it names [other.example.test]");
    }

    @Test
    void aCertificateWithoutSubjectAltNameIsRefused() throws Exception {
        serve(certificate(List.of(), digest(), true), ACME);

        assertThat(validate(Identifier.dns(HOST)).detail()).isEqualTo("the certificate from " + peer()
                + " must name only " + HOST + " in subjectAltName; it names []");
    }

    @Test
    void aServerThatNegotiatesNoAlpnIsRefused() throws Exception {
        serve(certificate(List.of(dnsName(HOST)), digest(), true), offered -> "");

        ValidationResult result = validate(Identifier.dns(HOST));

        assertThat(result.problem()).isEqualTo(ProblemType.TLS);
        assertThat(result.detail()).isEqualTo(peer() + " did not negotiate ALPN \"acme-tls/1\" for SNI " + HOST
                + " (negotiated: none)");
        assertThat(server.offeredProtocols).containsExactly(List.of("acme-tls/1"));
    }

    @Test
    void aServerThatRefusesAcmeTlsFailsTheHandshake() throws Exception {
        serve(certificate(List.of(dnsName(HOST)), digest(), true), offered -> null);

        ValidationResult result = validate(Identifier.dns(HOST));

        assertThat(result.problem()).isEqualTo(ProblemType.TLS);
        assertThat(result.detail()).startsWith("the TLS handshake with " + peer() + " failed: ")
                .contains("no_application_protocol");
    }

    @Test
    void anIpv4IdentifierSendsItsReverseNameAndNeedsAnIpAddressSan() throws Exception {
        serve(certificate(List.of(ipAddress("127.0.0.1")), digest(), true), ACME);

        ValidationResult result = validate(Identifier.ip("127.0.0.1"));

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(server.serverNames).containsExactly("1.0.0.127.in-addr.arpa");
        assertThat(dns.queries).isEmpty();
    }

    @Test
    void anIpIdentifierIsNotProvenByADnsNameSan() throws Exception {
        serve(certificate(List.of(dnsName("1.0.0.127.in-addr.arpa")), digest(), true), ACME);

        ValidationResult result = validate(Identifier.ip("127.0.0.1"));

        assertThat(result.problem()).isEqualTo(ProblemType.INCORRECT_RESPONSE);
        assertThat(result.detail()).isEqualTo("the certificate from 127.0.0.1:" + server.port() + " must name only"
                + " 127.0.0.1 in subjectAltName; it names [1.0.0.127.in-addr.arpa]");
    }

    @Test
    void anIpv6IdentifierSendsItsIp6ArpaName() throws Exception {
        server = new TlsServer("::1", key, certificate(List.of(ipAddress("::1")), digest(), true), ACME,
                TlsServer::untilClosed);

        ValidationResult result = validate(Identifier.ip("::1"));

        assertThat(result.valid()).as(result.detail()).isTrue();
        assertThat(server.serverNames).containsExactly("1." + "0.".repeat(31) + "ip6.arpa");
        assertThat(result.record()).contains("TLS handshake with [::1]:" + server.port() + " (SNI 1." + "0.".repeat(31)
                + "ip6.arpa): TLSv1.3, ALPN acme-tls/1");
    }

    @Test
    void aServerThatDoesNotSpeakTlsFailsTheHandshake() throws Exception {
        proxy = RawServer.tcp((socket, request) -> {
            RawServer.write(socket, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        });

        ValidationResult result = Fixtures.settings().tlsAlpn01Port(proxy.port()).validator(dns)
                .validate(check(Identifier.dns(HOST), ChallengeType.TLS_ALPN_01));

        assertThat(result.problem()).isEqualTo(ProblemType.TLS);
        assertThat(result.detail()).startsWith("the TLS handshake with " + HOST + ":" + proxy.port() + " failed: ");
    }

    @Test
    void aServerThatNeverAnswersTheHandshakeFailsAfterTheReadTimeout() throws Exception {
        proxy = RawServer.tcp((socket, request) -> RawServer.holdOpen(socket));

        ValidationResult result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Fixtures.settings()
                .tlsAlpn01Port(proxy.port()).readTimeout(Duration.ofMillis(300)).validator(dns)
                .validate(check(Identifier.dns(HOST), ChallengeType.TLS_ALPN_01)));

        assertThat(result.problem()).isEqualTo(ProblemType.TLS);
        assertThat(result.detail()).isEqualTo("the TLS handshake with " + HOST + ":" + proxy.port()
                + " failed: Read timed out");
    }

    @Test
    void aServerTricklingItsHandshakeCannotOutlastTheDeadline() throws Exception {
        serve(certificate(List.of(dnsName(HOST)), digest(), true), ACME);
        int backend = server.port();
        // Passes the client's bytes on at once and the server's one every 300 ms, for at most 6 s.
        proxy = RawServer.tcp((client, request) -> {
            try (Socket upstream = new Socket("127.0.0.1", backend)) {
                Thread forward = new Thread(() -> {
                    try {
                        client.getInputStream().transferTo(upstream.getOutputStream());
                    } catch (IOException e) {
                        // One side closed.
                    }
                });
                forward.setDaemon(true);
                forward.start();
                InputStream in = upstream.getInputStream();
                OutputStream out = client.getOutputStream();
                for (int i = 0, b; i < 20 && (b = in.read()) >= 0; i++) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(300);
                }
            }
        });
        long start = System.nanoTime();

        ValidationResult result = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Fixtures.settings()
                .tlsAlpn01Port(proxy.port()).readTimeout(Duration.ofSeconds(10)).deadline(Duration.ofSeconds(1))
                .validator(dns).validate(check(Identifier.dns(HOST), ChallengeType.TLS_ALPN_01)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
        assertThat(result.problem()).isEqualTo(ProblemType.CONNECTION);
        assertThat(result.detail()).isEqualTo("validation did not finish within 1 s (certplane.acme.validation.deadline)");
    }

    private ValidationResult validate(Identifier identifier) {
        return Fixtures.settings().tlsAlpn01Port(server.port()).validator(dns)
                .validate(check(identifier, ChallengeType.TLS_ALPN_01));
    }

    private void serve(X509Certificate certificate, Function<List<String>, String> alpn) throws Exception {
        server = new TlsServer("127.0.0.1", key, certificate, alpn, TlsServer::untilClosed);
    }

    private String peer() {
        return HOST + ":" + server.port();
    }

    private static X509Certificate certificate(List<GeneralName> names, ASN1Encodable acmeIdentifier, boolean critical)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        return TlsServer.certificate(key, names, acmeIdentifier, critical);
    }

    private static DEROctetString digest() {
        assertThat(HexFormat.of().formatHex(KEY_AUTHORIZATION.sha256())).isEqualTo(EXPECTED_HEX);
        return new DEROctetString(KEY_AUTHORIZATION.sha256());
    }
}
