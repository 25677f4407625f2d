package dev.certplane.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.math.BigInteger;
import java.util.Date;

import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

class StapledOcspTest {

    @Test
    void readsTheStatusOfTheCertificateTheResponseIsAbout() throws Exception {
        BigInteger serial = Fixtures.LEAF.getSerialNumber();
        assertThat(StapledOcsp.status(response(CertificateStatus.GOOD), serial)).isEqualTo(StapledOcsp.Status.GOOD);
        assertThat(StapledOcsp.status(response(new RevokedStatus(new Date(), CRLReason.keyCompromise)), serial))
                .isEqualTo(StapledOcsp.Status.REVOKED);
        assertThat(StapledOcsp.status(response(new UnknownStatus()), serial)).isEqualTo(StapledOcsp.Status.UNKNOWN);
        assertThat(StapledOcsp.Status.REVOKED.wire()).isEqualTo("revoked");
    }

    @Test
    void aResponseAboutAnotherCertificateOrNotSuccessfulOrNotOcspIsRefusedWithAReason() throws Exception {
        assertThatThrownBy(() -> StapledOcsp.status(response(CertificateStatus.GOOD), BigInteger.valueOf(42)))
                .isInstanceOf(PkiException.class).hasMessage("the stapled OCSP response says nothing about serial 2a");
        byte[] unauthorized = new OCSPRespBuilder().build(OCSPRespBuilder.UNAUTHORIZED, null).getEncoded();
        assertThatThrownBy(() -> StapledOcsp.status(unauthorized, BigInteger.ONE)).isInstanceOf(PkiException.class)
                .hasMessage("the stapled OCSP response is not successful (responseStatus 6)");
        assertThatThrownBy(() -> StapledOcsp.status(new byte[] {0x30, 0x03, 0x02, 0x01}, BigInteger.ONE))
                .isInstanceOf(PkiException.class).hasMessageStartingWith("the stapled OCSP response cannot be read");
    }

    @Test
    void arbitraryBytesGiveAStatusOrAPkiExceptionNothingElse() {
        qt().withExamples(300).forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 200)).checkAssert(bytes -> {
            byte[] der = new byte[bytes.size()];
            for (int i = 0; i < der.length; i++) {
                der[i] = bytes.get(i).byteValue();
            }
            if (der.length > 0) {
                der[0] = 0x30;
            }
            try {
                StapledOcsp.status(der, BigInteger.ONE);
            } catch (PkiException expected) {
                // the only failure allowed
            }
        });
    }

    /** A response signed by the intermediate, as a server staples it, about the leaf. */
    private static byte[] response(CertificateStatus status) throws Exception {
        X509CertificateHolder issuer = new X509CertificateHolder(Fixtures.INTERMEDIATE.getEncoded());
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                issuer, Fixtures.LEAF.getSerialNumber());
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(issuer.getSubject()));
        builder.addResponse(id, status);
        OCSPResp response = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(Fixtures.INTERMEDIATE_KEYS.getPrivate()),
                new X509CertificateHolder[] {issuer}, new Date()));
        return response.getEncoded();
    }
}
