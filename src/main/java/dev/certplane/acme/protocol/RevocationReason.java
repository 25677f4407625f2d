package dev.certplane.acme.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * The CRLReason codes (RFC 5280 5.3.1) a client may give when revoking (RFC 8555 7.6). certificateHold,
 * removeFromCRL, privilegeWithdrawn and aACompromise make no sense for an ACME subscriber and are refused,
 * as Let's Encrypt does.
 */
public enum RevocationReason {
    UNSPECIFIED(0), KEY_COMPROMISE(1), AFFILIATION_CHANGED(3), SUPERSEDED(4), CESSATION_OF_OPERATION(5);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<RevocationReason> ofCode(int code) {
        return Arrays.stream(values()).filter(r -> r.code == code).findFirst();
    }
}
