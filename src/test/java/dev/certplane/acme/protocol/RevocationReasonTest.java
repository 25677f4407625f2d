package dev.certplane.acme.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The CRLReason codes a subscriber may give (RFC 5280 5.3.1, RFC 8555 7.6). */
class RevocationReasonTest {

    @ParameterizedTest
    @CsvSource({"0, UNSPECIFIED", "1, KEY_COMPROMISE", "3, AFFILIATION_CHANGED", "4, SUPERSEDED", "5, CESSATION_OF_OPERATION"})
    void aSubscriberReasonIsAccepted(int code, RevocationReason reason) {
        assertThat(RevocationReason.ofCode(code)).contains(reason);
        assertThat(reason.code()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 6, 7, 8, 9, 10, 11, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void caReasonsHoldsAndUnknownCodesAreRefused(int code) {
        // 2 cACompromise, 6 certificateHold, 8 removeFromCRL, 9 privilegeWithdrawn, 10 aACompromise; 7 is unused.
        assertThat(RevocationReason.ofCode(code)).isEmpty();
    }
}
