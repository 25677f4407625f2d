package dev.certplane.acme.server.internal;

import java.util.Optional;

import dev.certplane.shared.CertplaneProperties;

import org.springframework.stereotype.Component;

/**
 * Every URL the ACME server hands out, built from {@code certplane.external-url} and never from the Host
 * header (RFC 8555 6.4: the JWS {@code url} must match what the client was given).
 */
@Component
class AcmeUrls {

    static final String ROOT = "/acme/";

    private final String base;

    AcmeUrls(CertplaneProperties certplane) {
        this.base = certplane.externalUrl() + ROOT;
    }

    String directory(String profile) {
        return base + profile + "/directory";
    }

    String resource(String profile, String name) {
        return base + profile + "/" + name;
    }

    String account(String profile, String id) {
        return base + profile + "/acct/" + id;
    }

    String accountOrders(String profile, String id) {
        return account(profile, id) + "/orders";
    }

    String order(String profile, String id) {
        return base + profile + "/order/" + id;
    }

    String finalize(String profile, String orderId) {
        return order(profile, orderId) + "/finalize";
    }

    String authorization(String profile, String id) {
        return base + profile + "/authz/" + id;
    }

    String challenge(String profile, String id) {
        return base + profile + "/chall/" + id;
    }

    String certificate(String profile, String id) {
        return base + profile + "/cert/" + id;
    }

    String root(String profile) {
        return base + profile + "/root";
    }

    String alternateCertificate(String profile, String id) {
        return certificate(profile, id) + "/1";
    }

    /** The URL the client must have signed for a request to {@code path} (and its query, if any). */
    String asSeenByClient(String path, String query) {
        return base.substring(0, base.length() - ROOT.length()) + path + (query == null ? "" : "?" + query);
    }

    /** The account id a {@code kid} names, if it is an account URL of {@code profile}. */
    Optional<String> accountIdOf(String profile, String kid) {
        String prefix = account(profile, "");
        if (!kid.startsWith(prefix)) {
            return Optional.empty();
        }
        String id = kid.substring(prefix.length());
        return id.isEmpty() || id.contains("/") ? Optional.empty() : Optional.of(id);
    }
}
