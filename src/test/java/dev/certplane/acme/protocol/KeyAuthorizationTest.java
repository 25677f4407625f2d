package dev.certplane.acme.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Key authorizations (RFC 8555 8.1) and the digests DNS-01 (8.4) and TLS-ALPN-01 (RFC 8737 3) publish. */
class KeyAuthorizationTest {

    /** The token of the RFC 8555 8.4 example and the JWK thumbprint of RFC 7638 3.1. */
    private static final KeyAuthorization EXAMPLE = new KeyAuthorization("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA",
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");

    @Test
    void theTextIsTokenDotThumbprint() {
        assertThat(EXAMPLE.text())
                .isEqualTo("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    // Expected values computed outside Java: python3 hashlib.sha256 and base64.urlsafe_b64encode without "=".
    @Test
    void theDnsRecordIsUnpaddedBase64urlOfSha256OfTheText() {
        assertThat(EXAMPLE.dnsRecord()).isEqualTo("ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8");
    }

    @Test
    void theAcmeIdentifierDigestIsSha256OfTheText() {
        assertThat(HexFormat.of().formatHex(EXAMPLE.sha256()))
                .isEqualTo("653471d42925d7eb4cd39a39cda8b34d3034c94cb90067ab78c8123560ba2e5f");
    }

    @Test
    void theDigestDependsOnTheThumbprint() {
        KeyAuthorization other = new KeyAuthorization(EXAMPLE.token(), "another-thumbprint");
        assertThat(other.dnsRecord()).isNotEqualTo(EXAMPLE.dnsRecord()).hasSize(43);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "abcdefghij_klmnopqrs-tu"})
    void tokensOf22To64Base64urlCharactersAreAccepted(String token) {
        assertThat(new KeyAuthorization(token, "t").token()).isEqualTo(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcdefghijklmnopqrstu", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "abcdefghijklmnopqrstu+", "abcdefghijklmnopqrstu/", "abcdefghijklmnopqrstuv=", "../../../../etc/passwd_aaaaa",
        "abcdefghijklmnopqrstu\n"})
    void otherTokensAreRefused(String token) {
        assertThatIllegalArgumentException().isThrownBy(() -> new KeyAuthorization(token, "t"))
                .withMessage("a challenge token is 22 to 64 base64url characters");
    }
}
