package dev.certplane.acme.server.internal.validation;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLSocket;

import dev.certplane.acme.protocol.ChallengeType;
import dev.certplane.acme.protocol.Identifier;
import dev.certplane.acme.protocol.ProblemType;

import org.bouncycastle.asn1.ASN1OctetString;

/**
 * TLS-ALPN-01 (RFC 8737 3): a TLS handshake offering only ALPN {@code acme-tls/1}, with the identifier in SNI (an
 * IP address as its reverse name, RFC 8738 6), must show a certificate whose only subjectAltName is the
 * identifier and whose critical acmeIdentifier extension holds SHA-256 of the key authorization.
 */
final class TlsAlpn01Validator implements Validator {

    static final String ALPN = "acme-tls/1";
    /** id-pe-acmeIdentifier (RFC 8737 6.1). */
    static final String ACME_IDENTIFIER_OID = "1.3.6.1.5.5.7.1.31";
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final Targets targets;
    private final int port;
    private final Duration readTimeout;

    TlsAlpn01Validator(Targets targets, int port, Duration readTimeout) {
        this.targets = targets;
        this.port = port;
        this.readTimeout = readTimeout;
    }

    @Override
    public ChallengeType type() {
        return ChallengeType.TLS_ALPN_01;
    }

    @Override
    public void check(ChallengeCheck check, Dns dns, Deadline deadline, List<String> record) {
        Identifier identifier = check.identifier();
        String host = identifier.value();
        String sni = Targets.isIpIdentifier(identifier) ? Targets.reverseName(host) : host;
        String peer = Targets.hostPort(host, port);
        X509Certificate certificate;
        try (Socket socket = targets.connect(host, port, dns, deadline, record)) {
            SSLSocket ssl = Tls.handshake(socket, peer, sni, List.of(ALPN), deadline, readTimeout);
            String negotiated = ssl.getApplicationProtocol();
            record.add("TLS handshake with " + peer + " (SNI " + sni + "): " + ssl.getSession().getProtocol()
                    + ", ALPN " + (negotiated == null || negotiated.isEmpty() ? "none" : negotiated));
            if (!ALPN.equals(negotiated)) {
                throw new ValidationFailure(ProblemType.TLS, peer + " did not negotiate ALPN \"" + ALPN + "\" for SNI "
                        + sni + " (negotiated: " + (negotiated == null || negotiated.isEmpty() ? "none" : negotiated) + ")");
            }
            certificate = (X509Certificate) ssl.getSession().getPeerCertificates()[0];
            ssl.close();
        } catch (IOException e) {
            throw new ValidationFailure(ProblemType.TLS, "the TLS connection to " + peer + " failed: " + e.getMessage());
        }
        checkCertificate(certificate, check, peer);
    }

    private static void checkCertificate(X509Certificate certificate, ChallengeCheck check, String peer) {
        Identifier identifier = check.identifier();
        List<String> names = new ArrayList<>();
        boolean exact;
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                names.add(type == SAN_DNS ? value.toLowerCase(Locale.ROOT)
                        : type == SAN_IP ? Identifier.canonicalIp(value) : "type " + type + ": " + value);
            }
            int wanted = Targets.isIpIdentifier(identifier) ? SAN_IP : SAN_DNS;
            exact = sans != null && sans.size() == 1 && (Integer) sans.iterator().next().get(0) == wanted
                    && names.get(0).equals(identifier.value());
        } catch (CertificateParsingException | RuntimeException e) {
            throw new ValidationFailure(ProblemType.INCORRECT_RESPONSE, "the certificate from " + peer
                    + " has an unreadable subjectAltName: " + e.getMessage());
        }
        if (!exact) {
            throw new ValidationFailure(ProblemType.INCORRECT_RESPONSE, "the certificate from " + peer + " must name only "
                    + identifier.value() + " in subjectAltName; it names " + names);
        }
        if (!certificate.getCriticalExtensionOIDs().contains(ACME_IDENTIFIER_OID)) {
            throw new ValidationFailure(ProblemType.INCORRECT_RESPONSE, "the certificate from " + peer + " has no critical"
                    + " acmeIdentifier extension (" + ACME_IDENTIFIER_OID + ")");
        }
        byte[] expected = check.keyAuthorization().sha256();
        byte[] found;
        try {
            found = ASN1OctetString.getInstance(ASN1OctetString.getInstance(
                    certificate.getExtensionValue(ACME_IDENTIFIER_OID)).getOctets()).getOctets();
        } catch (RuntimeException e) {
            throw new ValidationFailure(ProblemType.INCORRECT_RESPONSE, "the acmeIdentifier extension from " + peer
                    + " is not a DER OCTET STRING");
        }
        if (!Arrays.equals(found, expected)) {
            throw new ValidationFailure(ProblemType.INCORRECT_RESPONSE, "the acmeIdentifier extension from " + peer
                    + " holds " + HexFormat.of().formatHex(found) + ", expected SHA-256 of the key authorization, "
                    + HexFormat.of().formatHex(expected));
        }
    }
}
