package dev.certplane.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Locale;

import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;

/**
 * What an OCSP response a TLS server stapled (RFC 6066 8, RFC 6960 4.2) says about one certificate. Read, not
 * verified: the signature and the responder are not checked, so this records what the server sends rather than
 * judging it.
 */
public final class StapledOcsp {

    /** A certificate's status in an OCSP response (RFC 6960 4.2.1). */
    public enum Status {
        GOOD, REVOKED, UNKNOWN;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private StapledOcsp() {
    }

    /**
     * @param der the response as the server stapled it
     * @param serial the serial number of the certificate the response should be about
     * @throws PkiException if the response cannot be read, is not a successful basic response, or says nothing about
     *     that serial number
     */
    public static Status status(byte[] der, BigInteger serial) {
        OCSPResp response;
        try {
            response = new OCSPResp(der);
        } catch (IOException | RuntimeException e) {
            throw new PkiException("the stapled OCSP response cannot be read: " + e.getMessage(), e);
        }
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new PkiException("the stapled OCSP response is not successful (responseStatus "
                    + response.getStatus() + ")");
        }
        Object basic;
        try {
            basic = response.getResponseObject();
        } catch (OCSPException | RuntimeException e) {
            throw new PkiException("the stapled OCSP response cannot be read: " + e.getMessage(), e);
        }
        if (!(basic instanceof BasicOCSPResp responses)) {
            throw new PkiException("the stapled OCSP response is not a basic OCSP response");
        }
        for (SingleResp single : responses.getResponses()) {
            if (single.getCertID().getSerialNumber().equals(serial)) {
                Object status = single.getCertStatus();
                if (status == null) {
                    return Status.GOOD; // BouncyCastle's CertificateStatus.GOOD is null
                }
                return status instanceof RevokedStatus ? Status.REVOKED : Status.UNKNOWN;
            }
        }
        throw new PkiException("the stapled OCSP response says nothing about serial " + serial.toString(16));
    }
}
