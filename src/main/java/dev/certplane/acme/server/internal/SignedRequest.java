package dev.certplane.acme.server.internal;

import dev.certplane.acme.protocol.AcmeProblem;
import dev.certplane.acme.protocol.FlattenedJws;
import dev.certplane.acme.protocol.Jwk;
import dev.certplane.delivery.TokenBinding;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * A request that passed the authenticator: well-formed, signed by {@link #key()}, for this URL, with a
 * fresh nonce. Controllers only ever see these.
 *
 * @param account the account named by {@code kid}, valid; {@code null} when the request carried a {@code jwk}
 * @param binding in a {@code token} profile, the certificate token the account is bound to, still usable
 */
record SignedRequest(Profile profile, FlattenedJws jws, Jwk key, @Nullable Account account,
        @Nullable TokenBinding binding, ClientInfo client) {

    Account requireAccount() {
        if (account == null) {
            throw AcmeProblem.malformed("this resource needs a request signed by an account (\"kid\")");
        }
        return account;
    }

    JsonNode payload() {
        return jws.payloadObject();
    }

    void requirePostAsGet() {
        if (!jws.isPostAsGet()) {
            throw AcmeProblem.malformed("this request must be a POST-as-GET with an empty payload (RFC 8555 6.3)");
        }
    }
}
